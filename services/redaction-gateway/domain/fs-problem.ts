/** File-system error codes in the words an owner reads on the dashboard. */
const PHRASES: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOTDIR: 'a parent of it is a file, not a directory',
  EEXIST: 'a file is in the way',
  ENOSPC: 'disk full',
  ENOENT: 'does not exist',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'path too long',
}

export function describeFsProblem(err: unknown, path: string): string {
  const code = (err as { code?: string }).code ?? ''
  const phrase = PHRASES[code] ?? (code ? code.toLowerCase() : String((err as Error).message ?? err))
  return `${path}: ${phrase}`
}
