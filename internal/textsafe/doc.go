// Package textsafe makes text from the inputs (SBOMs, advisories, VEX,
// inventories, file names) safe to show to a person: on a terminal, in a
// Markdown or HTML report, in a spreadsheet. It is the one sanitiser every
// human-readable output and every stderr line of the CLI goes through.
//
// Control characters (C0, DEL, C1) cannot drive the terminal once they are
// replaced by '?' (the convention of the scan table since its first
// version); bidirectional formatting characters (U+202A-U+202E,
// U+2066-U+2069, U+200E, U+200F, U+061C) cannot reorder what follows them
// once they are written visibly as \u202e; bytes that are not UTF-8 become
// U+FFFD (a stray 0x9b is CSI on a Latin-1 terminal). URL keeps only http
// and https links.
package textsafe
