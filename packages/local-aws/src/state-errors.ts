/**
 * Failures to write the state folder (a full disk, a read-only or foreign-owned folder) as
 * errors that say so and name the folder, instead of a bare "internal error".
 */
const REASONS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
};

/** The error of a failed write to `folder`, if the cause is the folder's file system. */
export function stateFolderError(error: unknown, folder: string): Error | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === undefined ? undefined : REASONS[code];
  if (reason === undefined) return undefined;
  return Object.assign(new Error(`local AWS cannot write its state folder ${folder}: ${reason} (${code})`), {
    code,
    cause: error,
  });
}

/** Rethrows a state-folder failure of `work` as `stateFolderError`, other failures unchanged. */
export async function writingState<T>(folder: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw stateFolderError(error, folder) ?? error;
  }
}
