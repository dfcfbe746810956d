/** A TCP port free on loopback right now. */
export function freePort(): Promise<number>;
/** Whether something accepts TCP connections on a loopback port right now. */
export function listening(port: number): Promise<boolean>;
/** Every file below `dir`, recursively. */
export function walk(dir: string): string[];
/** The path of a pinned Go tool, built by scripts/install-go-tool.sh into the cache once. */
export function goTool(name: string): string;
/** YAML options for writing composed objects out in full: no anchors for the parts they share. */
export const UNSHARED: { readonly aliasDuplicateObjects: false };
