package report

// skippedMessages lists the message of every skipped input: SBOMs, feed
// files, inventory rows, MDS2 forms, devices whose matching failed, in that order.
func skippedMessages(s *Scan) []string {
	var out []string
	for _, e := range s.SBOMErrors {
		out = append(out, e.Error())
	}
	for _, e := range s.AdvisoryErrors {
		out = append(out, e.Error())
	}
	for _, e := range s.InventoryErrors {
		out = append(out, e.Error())
	}
	for _, e := range s.MDS2Errors {
		out = append(out, e.Error())
	}
	for _, e := range s.MatchErrors {
		out = append(out, e.Error())
	}
	return out
}
