type Schema = Record<string, unknown>;

/** The kubernetes-ingestor's annotations the templates read or write. */
export const INGESTOR: Record<string, string>;

/** An XRD schema as a form field; `required`: whether its parent requires it. */
export function formField(
  name: string | undefined,
  schema: Schema,
  context?: { required?: boolean; underOptional?: boolean },
): Schema;

/** Writes the templates into `target` (default backstage/templates); resolves to it. */
export function generate(target?: string): Promise<string>;
