package report

// Exported for the external tests (package report_test), which may
// import package scan.
var (
	ChromiumBinary   = chromiumBinary
	RenderInChromium = renderInChromium
)
