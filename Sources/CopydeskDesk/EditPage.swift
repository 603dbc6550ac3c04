import Copydesk

/// The model of `edit.mustache` (edit and new) and `conflict.mustache`: the fields as typed, so
/// that nothing typed is lost when the command is refused or conflicts.
struct EditPage {
    /// The text fields of an article form.
    struct Fields {
        let title: String
        let lead: String
        let body: String
        let section: String
        let tags: String
        let note: String
        let lang: String

        init(title: String, lead: String, body: String, section: String, tags: String, note: String = "") {
            self.title = title
            self.lead = lead
            self.body = body
            self.section = section
            self.tags = tags
            self.note = note
            lang = TextLanguage.guess(title, lead, body)
        }

        init(form: DeskForm) {
            self.init(
                title: form.text("title"), lead: form.text("lead"), body: form.text("body"),
                section: form.text("section"), tags: form.text("tags"), note: form.text("note"))
        }

        init(view: ArticleView) {
            self.init(
                title: view.title, lead: view.lead, body: view.body, section: view.section,
                tags: view.tags.joined(separator: ", "))
        }

        /// The tags as typed: comma separated, blanks dropped.
        var tagList: [String] {
            tags.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
    }

    let page: PageChrome
    /// Nil for a new article.
    let id: String?
    let isNew: Bool
    /// The version the command must find (`expected_version`).
    let expectedVersion: Int64
    /// The version the text in the form was written on (`base_version`): what the user changed is
    /// the difference between it and the form, and only that is applied.
    let baseVersion: Int64
    let fields: Fields
    /// On the conflict page: the article as it is now, and what changed since the version opened.
    let theirs: Fields?
    let theirVersion: Int64
    let meanwhile: [DiffField]
}
