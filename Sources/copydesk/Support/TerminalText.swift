/// User text made safe for a terminal: control and bidi characters are shown, never obeyed.
///
/// Every human-format writer passes user-supplied strings (titles, names, comments, reasons,
/// article text, refusals quoting them) through here, so no author can move the cursor, erase a
/// line, recolour the screen, reverse a line with U+202E or start a line that looks like one of
/// Copydesk's own rows. Escapes are shown as `\n`, `\r`, `\t`, `\e` (ESC) and `\u{XX}` for every
/// other one, e.g. `\u{7F}` (DEL), `\u{9B}` (C1 CSI) or `\u{202E}`. A backslash the user typed is
/// printed as it is, so the exact text is what `--json` prints. Everything else (Cyrillic, emoji
/// with their joiners, combining marks) passes through unchanged.
enum TerminalText {
    /// A single-line field (a table cell, a name, a title, a reason): line breaks are escaped too,
    /// so the text stays inside its row.
    static func line(_ text: String) -> String {
        escaped(text, keepingLineBreaks: false)
    }

    /// Prose that spans lines (an article's lead and body): line feeds and tabs stay, a CR LF pair
    /// prints as a line feed, every other control and bidi character is escaped.
    static func paragraphs(_ text: String) -> String {
        escaped(text, keepingLineBreaks: true)
    }

    /// A change in a diff: like `line`, except that a line feed (or CR LF) shows as ↵, which reads as the line
    /// break it is without breaking the output's line.
    static func lineMarkingBreaks(_ text: String) -> String {
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        let scalars = Array(text.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            if scalar == "\n" {
                lines.append(line(String(current)))
                current = String.UnicodeScalarView()
            } else if !(scalar == "\r" && index + 1 < scalars.count && scalars[index + 1] == "\n") {
                current.append(scalar)
            }
        }
        lines.append(line(String(current)))
        return lines.joined(separator: "↵")
    }

    /// Whether the terminal would obey `scalar` rather than show it: C0 and C1 controls, DEL, the
    /// line and paragraph separators, and the bidi embeddings, overrides, isolates and marks.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x00...0x1F, 0x7F...0x9F: true
        case 0x061C, 0x200E, 0x200F, 0x2028, 0x2029, 0x202A...0x202E, 0x2066...0x2069: true
        default: false
        }
    }

    private static func escaped(_ text: String, keepingLineBreaks: Bool) -> String {
        let scalars = text.unicodeScalars
        // Most text holds nothing to escape; it is returned as it is, without a copy.
        guard scalars.contains(where: isControl) else { return text }
        var result = String.UnicodeScalarView()
        var index = scalars.startIndex
        while index != scalars.endIndex {
            let scalar = scalars[index]
            index = scalars.index(after: index)
            guard isControl(scalar) else {
                result.append(scalar)
                continue
            }
            if keepingLineBreaks {
                if scalar == "\n" || scalar == "\t" {
                    result.append(scalar)
                    continue
                }
                if scalar == "\r", index != scalars.endIndex, scalars[index] == "\n" {
                    continue  // the line feed that follows ends the line
                }
            }
            result.append(contentsOf: escape(scalar).unicodeScalars)
        }
        return String(result)
    }

    /// The visible form of one control character.
    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "\n": return #"\n"#
        case "\r": return #"\r"#
        case "\t": return #"\t"#
        case "\u{1B}": return #"\e"#
        default:
            let hex = String(scalar.value, radix: 16, uppercase: true)
            return #"\u{"# + (hex.count < 2 ? "0" + hex : hex) + "}"
        }
    }
}
