/**
 * The conformance cases as markdown, from the case list itself: the groups
 * with their counts, then each group's cases, one row per case, or one per
 * section where a section only varies a parameter (the UTF-8 sequences, the
 * deflate sizes). docs/conformance.md shows it between generated markers;
 * `tests/conformance-docs.test.ts` fails when the two drift.
 */
import { CASE_GROUPS } from "../conformance/case-catalogue.ts";
import type { CaseDefinition, CaseGroup } from "../conformance/case-definition.ts";
import { markdownTable } from "./_table.ts";

const sectionOf = (id: string): string => id.split(".").slice(0, 2).join(".");

function rows(group: CaseGroup): string[][] {
  const out: string[][] = [];
  const done = new Set<string>();
  for (const c of group.cases) {
    const section = group.sections.find((s) => s.id === sectionOf(c.id) && c.id.split(".").length === 3);
    if (!section?.summary) {
      out.push([c.id, c.description.replaceAll("|", "\\|"), c.expectation]);
      continue;
    }
    if (done.has(section.id)) continue;
    done.add(section.id);
    const members: CaseDefinition[] = group.cases.filter((x) => sectionOf(x.id) === section.id);
    out.push([`${members[0].id}–${members[members.length - 1].id}`, section.summary.sends, section.summary.expects]);
  }
  return out;
}

export function conformanceCasesTable(): string {
  const total = CASE_GROUPS.reduce((n, g) => n + g.cases.length, 0);
  const overview = markdownTable({
    header: ["group", "what it checks", "cases", "runs"],
    rows: [
      ...CASE_GROUPS.map((g) => [g.id, g.title, String(g.cases.length), g.optIn ? "when --cases names it" : "by default"]),
      ["all", "", String(total), ""],
    ],
    align: ["left", "left", "right", "left"],
  });
  const groups = CASE_GROUPS.map((g) =>
    [`### ${g.id} ${g.title} (${g.cases.length})`, "", markdownTable({ header: ["case", "sends", "expects"], rows: rows(g) })].join("\n")
  );
  return [overview, ...groups].join("\n\n");
}
