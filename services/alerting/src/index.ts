// The alerting service (issue 9): rule files, evaluation, routing. Built in slices; see docs/alerting.md.
export {};
