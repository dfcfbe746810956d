type KubeObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; uid?: string; annotations?: Record<string, string> } & Record<
    string,
    unknown
  >;
};

/** An object's sync wave, as Argo CD reads it (0 when unset). */
export function syncWave(object: KubeObject): number;

/** The objects Argo CD's resources finalizer deletes next among those still there. */
export function nextToDelete<T extends KubeObject>(live: T[]): T[];
