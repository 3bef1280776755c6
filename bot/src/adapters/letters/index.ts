// The letters adapter: templates per letter type in the policy's words, rendered as .docx with the `docx` package.
import type { LetterWriter, ReportWriter } from "../../ports/lifecycle";
import { renderLetter, renderReport } from "./docx";
import { composeLetter } from "./templates";

export const docxLetterWriter: LetterWriter = {
  compose: composeLetter,
  render: renderLetter,
};

export const docxReportWriter: ReportWriter = {
  renderDocx: renderReport,
};

export { composeLetter, customerWording, EQUALITY_QUESTIONNAIRE, longDate } from "./templates";
