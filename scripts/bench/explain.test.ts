import { describe, expect, it } from "vitest";
import { summarizePlan, type ExplainRoot } from "./explain";

const listPlan: ExplainRoot = {
  "Planning Time": 0.412,
  "Execution Time": 1.2345,
  Plan: {
    "Node Type": "Limit",
    "Actual Rows": 51,
    "Actual Loops": 1,
    "Shared Hit Blocks": 210,
    "Shared Read Blocks": 3,
    Plans: [
      {
        "Node Type": "Nested Loop",
        "Actual Rows": 51,
        "Actual Loops": 1,
        Plans: [
          {
            "Node Type": "Index Scan",
            "Index Name": "conversations_workspace_activity_idx",
            "Relation Name": "conversations",
            "Actual Rows": 51,
            "Actual Loops": 1,
          },
          {
            "Node Type": "Index Scan",
            "Index Name": "contacts_pkey",
            "Relation Name": "contacts",
            "Actual Rows": 1,
            "Actual Loops": 51,
          },
          { "Node Type": "Seq Scan", "Relation Name": "memberships", "Actual Rows": 1, "Actual Loops": 1 },
        ],
      },
    ],
  },
};

describe("summarizePlan", () => {
  it("names the indexes used and the tables read in full", () => {
    const summary = summarizePlan(listPlan);
    expect(summary.indexes).toEqual(["conversations_workspace_activity_idx", "contacts_pkey"]);
    expect(summary.seqScans).toEqual(["memberships (rows=1)"]);
  });

  it("keeps time and buffers of the whole statement", () => {
    expect(summarizePlan(listPlan)).toMatchObject({
      executionMs: 1.23,
      planningMs: 0.41,
      sharedHitBlocks: 210,
      sharedReadBlocks: 3,
    });
  });

  it("outlines the plan tree, rows per loop included", () => {
    expect(summarizePlan(listPlan).outline).toEqual([
      "Limit (rows=51 loops=1)",
      "  Nested Loop (rows=51 loops=1)",
      "    Index Scan using conversations_workspace_activity_idx on conversations (rows=51 loops=1)",
      "    Index Scan using contacts_pkey on contacts (rows=1 loops=51)",
      "    Seq Scan on memberships (rows=1 loops=1)",
    ]);
  });
});
