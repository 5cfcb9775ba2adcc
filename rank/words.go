package rank

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/bomrank/bomrank/advisory"
	"github.com/bomrank/bomrank/ssvc"
)

// The reasons are written for a clinical engineer, not an SSVC analyst:
// what is known ("actively exploited", "remotely exploitable without
// login"), the device's context in plain words with where it came from
// ("exposure: open network (inventory)"), probabilities as percentages.
// The JSON keeps the machine values (ssvc.*, context.*) beside them.

// exploitationWords names an exploitation level.
func exploitationWords(e ssvc.Exploitation) string {
	switch e {
	case ssvc.ExploitationActive:
		return "actively exploited"
	case ssvc.ExploitationPoC:
		return "exploit code public"
	}
	return "no known exploitation"
}

// kevWords is the reason for a KEV entry: "actively exploited (CISA KEV
// since 2021-12-10, used by ransomware)"; the CVE is named when the
// finding goes by another ID.
func kevWords(id string, k *advisory.KEV) string {
	var b strings.Builder
	b.WriteString("actively exploited (")
	if k.CVE != id {
		b.WriteString(k.CVE + " in ")
	}
	b.WriteString("CISA KEV since " + k.DateAdded)
	if k.Ransomware {
		b.WriteString(", used by ransomware")
	}
	b.WriteString(")")
	return b.String()
}

// automatableWords is the reason of an automatable finding, read from
// metrics m of a CVSS vector of the given version (see automatable). The
// few reasons automatable can give are constants: built per finding they
// were 6.4 MB of the 38 MB the ranking of the 100k benchmark allocated
// (match.BenchmarkRank), and the report writes the one string faster
// than 82,000 copies of it. TestAutomatableWords holds them to the
// concatenation.
func automatableWords(version, m string) string {
	switch {
	case version == "4.0" && m == "AU:Y":
		return "remotely exploitable without login (CVSS 4.0 AU:Y)"
	case version == "4.0" && m == "AV:N/AC:L/AT:N/PR:N/UI:N":
		return "remotely exploitable without login (CVSS 4.0 AV:N/AC:L/AT:N/PR:N/UI:N)"
	case version == "3.1" && m == "AV:N/AC:L/PR:N/UI:N":
		return "remotely exploitable without login (CVSS 3.1 AV:N/AC:L/PR:N/UI:N)"
	case version == "3.0" && m == "AV:N/AC:L/PR:N/UI:N":
		return "remotely exploitable without login (CVSS 3.0 AV:N/AC:L/PR:N/UI:N)"
	}
	return "remotely exploitable without login (CVSS " + version + " " + m + ")"
}

// maturityWords names a CVSS exploit maturity value.
func maturityWords(m string) string {
	switch m {
	case "A":
		return "attacked"
	case "H":
		return "high"
	case "F":
		return "functional exploit"
	case "P", "POC":
		return "proof of concept"
	}
	return m
}

// exposureWords names an exposure level.
func exposureWords(x ssvc.Exposure) string {
	switch x {
	case ssvc.ExposureOpen:
		return "open network"
	case ssvc.ExposureControlled:
		return "controlled network"
	case ssvc.ExposureSmall:
		return "small, isolated or local access only"
	}
	return string(x)
}

// missionWords names a mission impact.
func missionWords(m ssvc.Mission) string {
	switch m {
	case ssvc.MissionMEF:
		return "an essential function fails"
	case ssvc.MissionFailure:
		return "the mission fails"
	}
	return string(m)
}

// origin says where a context value came from, in parentheses' words:
// "inventory", "default: no inventory", "MDS2 CONN-6: requires an
// internet connection for its intended use", "device context".
func origin(src ssvc.Source) string {
	switch src.Kind {
	case ssvc.SourceInventory:
		return "inventory"
	case ssvc.SourceMDS2:
		// "exposure open (MDS2 CONN-6: requires ...)": the question
		if i, j := strings.Index(src.Detail, "("), strings.LastIndex(src.Detail, ")"); i >= 0 && j > i {
			return src.Detail[i+1 : j]
		}
		return "MDS2"
	case ssvc.SourceDefault:
		if i, j := strings.LastIndex(src.Detail, "("), strings.LastIndex(src.Detail, ")"); i >= 0 && j > i {
			return src.Detail[i+1 : j]
		}
		return "default"
	}
	return "device context"
}

// humanWords is the device's human impact reason: "patient-safety
// impact: catastrophic (inventory), mission impact: the mission fails
// (inventory)", the origin said once when both share it.
func humanWords(c *ssvc.Context) string {
	safety, mission := origin(c.Source("safety")), origin(c.Source("mission"))
	s := "patient-safety impact: " + string(c.Safety)
	m := "mission impact: " + missionWords(c.Mission)
	if safety == mission {
		return s + ", " + m + " (" + safety + ")"
	}
	return s + " (" + safety + "), " + m + " (" + mission + ")"
}

// EPSSWords is "EPSS 94% (top 0.1%)": the probability of exploitation
// in the next 30 days and the share of scored CVEs at or above it,
// rounded up to a tenth of a percent so that a rank never reads better
// than it is. The one wording of an EPSS score in reasons and reports.
func EPSSWords(e *advisory.EPSS) string {
	top := math.Ceil(math.Round((1-e.Percentile)*1e6)/1e3) / 10
	return fmt.Sprintf("EPSS %s (top %s%%)", percent(e.Score), strconv.FormatFloat(max(top, 0.1), 'f', -1, 64))
}

// percent writes a probability as a percentage with two significant
// digits at most below 10%.
func percent(p float64) string {
	v := p * 100
	switch {
	case v >= 10:
		return strconv.FormatFloat(math.Round(v), 'f', -1, 64) + "%"
	case v >= 1:
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64) + "%"
	}
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) + "%"
}
