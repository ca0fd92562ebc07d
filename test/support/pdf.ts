import { execFile } from 'node:child_process';
import path from 'node:path';

/** The text of a PDF, parsed back by pdf.js, every run of spaces (the no-break ones of French amounts too) as one space. */
export async function pdfText(content: Buffer): Promise<string> {
  const text = await new Promise<string>((resolve, reject) => {
    const child = execFile(
      process.execPath,
      [path.join(__dirname, 'pdf-text.cjs')],
      { maxBuffer: 10 * 1024 * 1024 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
    child.stdin!.end(content);
  });
  // Lines wrap where the layout decides: compare words, not line breaks.
  return text.replace(/[\s\u00a0\u202f]+/g, ' ');
}
