/**
 * The few globals that every JavaScript host we run on has (browsers, Node, Electron) and that
 * pure code may use: text decoding and URL parsing. Only tsconfig.shared.json includes this file;
 * the other layers get the full definitions from the DOM or Node typings.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean; ignoreBOM?: boolean });
  decode(input?: Uint8Array, options?: { stream?: boolean }): string;
}

declare class TextEncoder {
  encode(input?: string): Uint8Array;
}

declare class URL {
  constructor(url: string, base?: string);
  readonly protocol: string;
  readonly host: string;
  readonly hostname: string;
  readonly port: string;
  readonly pathname: string;
  readonly search: string;
  readonly username: string;
  readonly password: string;
  readonly href: string;
}
