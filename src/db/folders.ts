import fs from 'node:fs';
import path from 'node:path';

/** The first folder from the root down to `folder` that others cannot traverse, if any. */
export function folderClosedToOthers(folder: string): string | undefined {
  const parts = path.resolve(folder).split(path.sep).filter(Boolean);
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const ancestor = path.sep + parts.slice(0, depth).join(path.sep);
    if ((fs.statSync(ancestor).mode & 0o001) === 0) return ancestor;
  }
  return undefined;
}
