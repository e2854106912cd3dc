package main

// Per rule: what the cluster said of each finding whose claim the box can check, and of the
// findings on the rule's own invalid example (each error-severity default rule must have its
// claim confirmed there).

import (
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
)

// The claims the box checks, beside the run-time ones.
var checkedClaims = map[string]bool{"apply-rejected": true, "update-rejected": true, "hook-kept": true, "hook-skipped": true, "field-dropped": true, "claims-deleted": true, "claims-orphaned": true}

func checked(claim string) bool {
	_, atRunTime := runtimeClaims[claim]
	return atRunTime || checkedClaims[claim]
}

type ruleTally struct {
	Confirmed, Contradicted, Undetermined int
	// On the rule's invalid example: confirmed, contradicted, undetermined, or "" (not judged).
	Example string
}

func perRule(objects []*object, upgrades []*update, deployed []*scene, charts []*hookChart, suites []*policySuite, cases []*claimsCase, removed []*removal, rules map[string]rule, work string) map[string]*ruleTally {
	out := map[string]*ruleTally{}
	for id, r := range rules {
		if checked(r.Claim) {
			out[id] = &ruleTally{}
		}
	}
	exampleOf := func(file string) string {
		if rel, err := filepath.Rel(work, file); err == nil {
			if id, ok := strings.CutPrefix(rel, "rule-examples/"); ok {
				return strings.TrimSuffix(id, ".yaml")
			}
			if id, ok := strings.CutSuffix(strings.TrimPrefix(rel, "rule-upgrades/"), "/invalid.yaml"); ok && strings.HasPrefix(rel, "rule-upgrades/") {
				return id
			}
		}
		return ""
	}
	// Verdict order on the example: a confirmation wins, then a contradiction.
	rank := map[string]int{"": 0, "undetermined": 1, "contradicted": 2, "confirmed": 3}
	count := func(f finding, file, verdict string) {
		t := out[f.Rule]
		if t == nil {
			return
		}
		switch verdict {
		case "confirmed":
			t.Confirmed++
		case "contradicted":
			t.Contradicted++
		default:
			t.Undetermined++
			verdict = "undetermined"
		}
		if exampleOf(file) == f.Rule && rank[verdict] > rank[t.Example] {
			t.Example = verdict
		}
	}
	outcome := func(broken bool) string {
		if broken {
			return "confirmed"
		}
		return "contradicted"
	}
	for _, o := range objects {
		for _, f := range o.Findings {
			// An unserved kind or version is refused too (compare counts it so).
			if f.claim(rules) == "apply-rejected" && f.Severity == "error" {
				count(f, o.File, outcome(o.Verdict != "accepted"))
			}
		}
	}
	for _, u := range upgrades {
		for _, f := range u.Findings {
			if f.claim(rules) != "update-rejected" || f.Severity != "error" {
				continue
			}
			switch u.Verdict {
			case "rejected", "accepted":
				count(f, u.Current.File, outcome(u.Verdict == "rejected"))
			default:
				count(f, u.Current.File, "undetermined")
			}
		}
	}
	for _, s := range deployed {
		for _, o := range s.Objects {
			if o.Runtime == nil {
				continue
			}
			findings := o.Runtime.Findings
			if o.Kind == "StatefulSet" {
				findings = append(slices.Clone(findings), governingFindings(s, o)...)
			}
			countVerdicts(o.Runtime.Verdicts, findings, o.File, rules, count)
		}
	}
	// Under a suite's policies: the policy findings the main stage leaves out.
	for _, s := range suites {
		for _, o := range s.Objects {
			if o.Policy == nil {
				continue
			}
			for _, f := range o.Findings {
				if !isPolicyFinding(f) || f.claim(rules) != "apply-rejected" || f.Severity != "error" {
					continue
				}
				switch o.Policy.Verdict {
				case "denied", "refused":
					count(f, o.File, "confirmed")
				case "accepted":
					count(f, o.File, "contradicted")
				}
			}
		}
	}
	claimsRuleVerdicts(cases, rules, count)
	removalRuleVerdicts(removed, rules, count)
	hookRuleVerdicts(charts, rules, count)
	droppedRuleVerdicts(objects, rules, count)
	return out
}

// countVerdicts counts each finding against the cluster's verdict on the claim it makes, when
// the cluster gave one: broken confirms it, fine contradicts it.
func countVerdicts(verdicts map[string]string, findings []finding, file string, rules map[string]rule, count func(f finding, file, verdict string)) {
	for _, f := range findings {
		switch verdict, ok := verdicts[f.claim(rules)]; {
		case !ok:
		case verdict == "broken":
			count(f, file, "confirmed")
		case verdict == "fine":
			count(f, file, "contradicted")
		default:
			count(f, file, "undetermined")
		}
	}
}

// unconfirmed lists the error-severity default rules whose claim the box checks and whose
// invalid example did not get it confirmed.
func unconfirmed(tallies map[string]*ruleTally, rules map[string]rule) []string {
	var out []string
	for _, id := range slices.Sorted(maps.Keys(tallies)) {
		r := rules[id]
		if r.Enabled && r.Severity == "error" && r.Invalid != nil && tallies[id].Example != "confirmed" {
			out = append(out, id)
		}
	}
	return out
}

func rulesMarkdown(b *strings.Builder, tallies map[string]*ruleTally, rules map[string]rule) {
	b.WriteString("## Per rule\n\n")
	b.WriteString("Every finding of a rule whose claim the box checks, by what the cluster showed; and the verdict on the rule's own invalid example (each error-severity default rule must be confirmed there).\n\n")
	b.WriteString("| rule | severity | claim | confirmed | contradicted | undetermined | its invalid example |\n|---|---|---|---:|---:|---:|---|\n")
	for _, id := range slices.Sorted(maps.Keys(tallies)) {
		t, r := tallies[id], rules[id]
		example := t.Example
		if example == "" {
			example = "not judged"
		}
		severity := r.Severity
		if !r.Enabled {
			severity += " (opt-in)"
		}
		fmt.Fprintf(b, "| `%s` | %s | %s | %d | %d | %d | %s |\n", id, severity, r.Claim, t.Confirmed, t.Contradicted, t.Undetermined, example)
	}
	b.WriteString("\n")
}
