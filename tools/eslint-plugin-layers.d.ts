/** Types of the layer lint plugin's exports that tests read (the plugin itself is plain JavaScript, loaded by ESLint). */
export declare const FOLDERS: Record<string, { base: string; may: Record<string, string[]> }>;
export declare const SHARED_LIBRARIES: string[];
export declare function layerOf(file: string): string | undefined;
export declare function folderOf(layer: string, file: string): string | undefined;
export declare function checkFolder(layer: string, from: string | undefined, to: string | undefined): string | undefined;
export declare function checkBare(layer: string, spec: string): string | undefined;
declare const plugin: { rules: Record<string, unknown> };
export default plugin;
