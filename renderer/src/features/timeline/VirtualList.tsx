import { useEffect, useRef, useState } from "react";

/**
 * A list of many fixed-height rows that only renders the rows in view (plus a margin), so a
 * history of thousands of transitions scrolls as lightly as ten.
 */
export function VirtualList<T>(props: {
  items: readonly T[];
  rowHeight: number;
  render(item: T, index: number): React.ReactNode;
  itemKey(item: T): string | number;
  label: string;
  className?: string;
}): React.JSX.Element {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(([entry]) => entry && setHeight(entry.contentRect.height));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  const { items, rowHeight } = props;
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - 5);
  const last = Math.min(items.length, Math.ceil((scrollTop + height) / rowHeight) + 5);
  return (
    <div ref={ref} className={`virtual-list ${props.className ?? ""}`} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} role="list" aria-label={props.label}>
      <div style={{ height: items.length * rowHeight, position: "relative" }}>
        {items.slice(first, last).map((item, i) => (
          <div key={props.itemKey(item)} role="listitem" className="virtual-row" style={{ position: "absolute", top: (first + i) * rowHeight, left: 0, right: 0, height: rowHeight }}>
            {props.render(item, first + i)}
          </div>
        ))}
      </div>
    </div>
  );
}
