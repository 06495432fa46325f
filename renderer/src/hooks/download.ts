/** Hands bytes to the browser as a download (serve mode: the browser saves it with its downloads). */
export function download(name: string, body: BlobPart | Blob, type: string): void {
  const url = URL.createObjectURL(body instanceof Blob ? body : new Blob([body], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
