import type { AST } from "@eslint-community/regexpp";

/** Whether a part of a pattern can match the empty string (assertions and lookarounds match nothing). */
export function nullable(el: AST.Element | AST.Alternative): boolean {
  switch (el.type) {
    case "Alternative":
      return el.elements.every(nullable);
    case "Group":
    case "CapturingGroup":
      return el.alternatives.some(nullable);
    case "Quantifier":
      return el.min === 0 || nullable(el.element);
    case "Assertion":
      return true;
    case "Character":
    case "CharacterSet":
    case "CharacterClass":
      return false;
    default:
      return true;
  }
}
