import path from 'node:path';
import pdfmake from 'pdfmake';
import type { Content, TDocumentDefinitions } from 'pdfmake/interfaces';

/**
 * pdfmake on the server, locked down: the embedded Roboto fonts are the only
 * files a document may read and it may fetch nothing from the network, so a
 * template fed with an applicant's text cannot reach outside.
 */
const fontsFolder = path.dirname(require.resolve('pdfmake/fonts/Roboto/Roboto-Regular.ttf'));
pdfmake.setFonts({
  Roboto: {
    normal: path.join(fontsFolder, 'Roboto-Regular.ttf'),
    bold: path.join(fontsFolder, 'Roboto-Medium.ttf'),
    italics: path.join(fontsFolder, 'Roboto-Italic.ttf'),
    bolditalics: path.join(fontsFolder, 'Roboto-MediumItalic.ttf'),
  },
});
pdfmake.setUrlAccessPolicy(() => false);
pdfmake.setLocalAccessPolicy((file: string) => path.dirname(file) === fontsFolder);

export type DocumentDefinition = TDocumentDefinitions;
export type { Content };

const pageFooter =
  (title: string) =>
  (currentPage: number, pageCount: number): Content => ({
    text: `${title} — page ${currentPage} sur ${pageCount}`,
    alignment: 'center',
    fontSize: 8,
    color: '#555555',
    margin: [0, 10, 0, 0],
  });

/** The house style every document shares: A4, Roboto, numbered pages, a dated title. */
export async function renderPdf(
  definition: DocumentDefinition & { info: { title: string } },
  createdAt: Date,
): Promise<Buffer> {
  const document = pdfmake.createPdf({
    pageSize: 'A4',
    pageMargins: [56, 56, 56, 56],
    defaultStyle: { font: 'Roboto', fontSize: 10, lineHeight: 1.25 },
    footer: pageFooter(definition.info.title),
    ...definition,
    styles: {
      title: { fontSize: 16, bold: true, margin: [0, 0, 0, 12] },
      heading: { fontSize: 12, bold: true, margin: [0, 12, 0, 6] },
      small: { fontSize: 8, color: '#555555' },
      ...definition.styles,
    },
    info: { producer: 'milliard', creator: 'milliard', ...definition.info, creationDate: createdAt },
  });
  return document.getBuffer();
}
