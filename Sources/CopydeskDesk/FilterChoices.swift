/// What the desk's filters offer: every section and every author that some article has.
struct FilterChoices: Sendable {
    let sections: [String]
    let authors: [String]
}
