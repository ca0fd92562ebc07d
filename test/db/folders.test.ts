import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { folderClosedToOthers } from '../../src/db/folders';

it('names the folder the postgres user could not traverse, so that initdb never fails with a stack trace', () => {
  const closed = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-closed-'));
  const open = fs.mkdtempSync(path.join(os.tmpdir(), 'milliard-open-'));
  try {
    // mkdtemp makes 0700 folders: exactly the trap a newcomer falls into.
    fs.mkdirSync(path.join(closed, 'data'));
    fs.chmodSync(open, 0o755);
    fs.mkdirSync(path.join(open, 'data'), { mode: 0o755 });
    expect(folderClosedToOthers(path.join(closed, 'data'))).toBe(closed);
    expect(folderClosedToOthers(path.join(open, 'data'))).toBeUndefined();
  } finally {
    fs.rmSync(closed, { recursive: true, force: true });
    fs.rmSync(open, { recursive: true, force: true });
  }
});
