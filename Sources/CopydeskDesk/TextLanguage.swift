/// Guesses the language of an article's text for its `lang` attribute, so that screen readers
/// and hyphenation read Cyrillic as Russian: "ru" when most letters are Cyrillic, else "en".
enum TextLanguage {
    static func guess(_ texts: String...) -> String {
        var cyrillic = 0
        var other = 0
        for text in texts {
            for scalar in text.unicodeScalars {
                // ASCII and the Russian alphabet without a Unicode property lookup: every list
                // item's title goes through here.
                if scalar.isASCII {
                    if (65...90).contains(scalar.value) || (97...122).contains(scalar.value) { other += 1 }
                } else if (0x0410...0x044F).contains(scalar.value) || scalar.value == 0x0401 || scalar.value == 0x0451 {
                    cyrillic += 1
                } else if scalar.properties.isAlphabetic {
                    if (0x0400...0x04FF).contains(scalar.value) { cyrillic += 1 } else { other += 1 }
                }
            }
        }
        return cyrillic > other ? "ru" : "en"
    }
}
