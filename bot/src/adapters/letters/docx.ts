// Renders letters and reports as Word documents with the `docx` package. Layout only: the words come from the
// templates (templates.ts) and the report service. A4, 2.5 cm margins, Arial 12 pt (readable, and what councils'
// accessible-document guidance asks for), headings as real Word headings so screen readers can navigate.
import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from "docx";
import type { LetterDraft, ReportDocument } from "../../ports/lifecycle";
import { EQUALITY_QUESTIONNAIRE } from "./templates";

const FONT = "Arial";
const CM = 567; // twips per centimetre

const styles = {
  default: { document: { run: { font: FONT, size: 24 }, paragraph: { spacing: { after: 120 } } } },
  paragraphStyles: [
    { id: "Heading1", name: "Heading 1", basedOn: "Normal", next: "Normal", quickFormat: true, run: { font: FONT, size: 32, bold: true }, paragraph: { spacing: { before: 240, after: 160 } } },
    { id: "Heading2", name: "Heading 2", basedOn: "Normal", next: "Normal", quickFormat: true, run: { font: FONT, size: 26, bold: true }, paragraph: { spacing: { before: 200, after: 100 } } },
  ],
};

const page = { margin: { top: 2.5 * CM, bottom: 2.5 * CM, left: 2.5 * CM, right: 2.5 * CM } };

function text(value: string, options: { bold?: boolean } = {}): Paragraph {
  return new Paragraph({ children: [new TextRun({ text: value, ...(options.bold ? { bold: true } : {}) })] });
}

function bullet(value: string): Paragraph {
  return new Paragraph({ text: value, bullet: { level: 0 } });
}

function footer(label: string): Footer {
  return new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ text: `${label} · page `, size: 18 }), new TextRun({ children: [PageNumber.CURRENT], size: 18 })],
      }),
    ],
  });
}

export async function renderLetter(draft: LetterDraft): Promise<Buffer> {
  const body: Paragraph[] = [
    new Paragraph({ children: [new TextRun({ text: "Private and confidential", bold: true })] }),
    ...draft.addressLines.map((line) => text(line)),
    new Paragraph({ text: "" }),
    text(`Our reference: ${draft.reference}`),
    text(`Date: ${draft.dateText}`),
    new Paragraph({ text: draft.title, heading: HeadingLevel.HEADING_1 }),
    text(draft.salutation),
  ];
  for (const s of draft.sections) {
    if (s.heading) body.push(new Paragraph({ text: s.heading, heading: HeadingLevel.HEADING_2 }));
    for (const p of s.paragraphs) body.push(text(p));
    for (const b of s.bullets ?? []) body.push(bullet(b));
  }
  body.push(new Paragraph({ text: "" }));
  for (const line of draft.signOff) body.push(text(line));

  const sections = [{ properties: { page }, footers: { default: footer(draft.reference) }, children: body }];
  if (draft.equalityQuestionnaire) {
    const q: Paragraph[] = [
      new Paragraph({ text: EQUALITY_QUESTIONNAIRE.heading, heading: HeadingLevel.HEADING_1 }),
      text(`Reference: ${draft.reference}`),
      ...EQUALITY_QUESTIONNAIRE.intro.map((p) => text(p)),
    ];
    for (const { question, options } of EQUALITY_QUESTIONNAIRE.questions) {
      q.push(new Paragraph({ text: question, heading: HeadingLevel.HEADING_2 }));
      for (const o of options) q.push(text(`☐ ${o}`));
    }
    sections.push({ properties: { page }, footers: { default: footer(`${draft.reference} · equality and diversity form`) }, children: q });
  }
  const doc = new Document({
    creator: "CALM",
    title: draft.title,
    description: `Letter ${draft.reference}`,
    styles,
    numbering: { config: [] },
    sections,
  });
  return Packer.toBuffer(doc);
}

const thin = { style: BorderStyle.SINGLE, size: 4, color: "808080" };
const borders = { top: thin, bottom: thin, left: thin, right: thin };

function cell(value: string | number, header = false): TableCell {
  return new TableCell({
    borders,
    width: { size: header ? 30 : 70, type: WidthType.PERCENTAGE },
    children: [new Paragraph({ children: [new TextRun({ text: String(value), bold: header })] })],
  });
}

export async function renderReport(report: ReportDocument): Promise<Buffer> {
  const children: (Paragraph | Table)[] = [
    new Paragraph({ text: report.title, heading: HeadingLevel.HEADING_1 }),
    text(report.subtitle, { bold: true }),
    text(report.generatedText),
  ];
  for (const t of report.tables) {
    children.push(new Paragraph({ text: t.title, heading: HeadingLevel.HEADING_2 }));
    if (t.rows.length === 0) {
      children.push(text("None in this period."));
      continue;
    }
    children.push(
      new Table({
        width: { size: 100, type: WidthType.PERCENTAGE },
        rows: [
          new TableRow({ tableHeader: true, children: t.columns.map((c, i) => cell(c || (i === 0 ? "Item" : ""), true)) }),
          ...t.rows.map((r) => new TableRow({ children: r.map((v) => cell(v)) })),
        ],
      }),
    );
  }
  for (const n of report.notes) children.push(text(n));
  const doc = new Document({ creator: "CALM", title: report.title, styles, sections: [{ properties: { page }, footers: { default: footer(report.subtitle) }, children }] });
  return Packer.toBuffer(doc);
}
