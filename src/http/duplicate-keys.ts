import { visit } from 'jsonc-parser';
import { ValidationError } from '../errors';
import { httpMessages } from './messages';

/**
 * JSON.parse keeps the last of two equal keys, so `{"amount": "1.00", "amount":
 * "1000.00"}` means what a reader of the first line would not expect (and what
 * two parsers may read differently). A body with a key twice in one object is
 * refused, naming where.
 */
export function assertNoDuplicateKeys(body: Buffer): void {
  const keysOfOpenObjects: (Set<string> | null)[] = [];
  let duplicate: (string | number)[] | undefined;
  visit(
    body.toString('utf8'),
    {
      onObjectBegin: () => {
        keysOfOpenObjects.push(new Set());
      },
      onObjectEnd: () => {
        keysOfOpenObjects.pop();
      },
      onArrayBegin: () => {
        keysOfOpenObjects.push(null);
      },
      onArrayEnd: () => {
        keysOfOpenObjects.pop();
      },
      onObjectProperty: (property, _offset, _length, _line, _character, pathSupplier) => {
        const keys = keysOfOpenObjects.at(-1);
        if (!keys || duplicate) return;
        if (keys.has(property)) duplicate = [...pathSupplier(), property];
        keys.add(property);
      },
    },
    { disallowComments: true },
  );
  if (duplicate)
    throw new ValidationError([
      {
        path: ['body', ...duplicate],
        message: httpMessages.keyTwice(String(duplicate.at(-1))),
      },
    ]);
}
