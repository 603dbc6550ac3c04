extension ArticleDecider {
    /// The command with its tags trimmed and deduplicated, or the refusal of input that cannot be taken: a NUL
    /// character, a field over its limit (measured as sent), an empty tag. Checked after who may do what.
    static func checkedInput(_ command: ArticleCommand, _ state: Article?) throws(Refusal) -> ArticleCommand {
        if let field = command.action.fieldHoldingNUL {
            let context = state.map { "\(describe($0)); " } ?? ""
            throw refusal(
                .invalidContent, "\(context)the \(field) holds a NUL character (U+0000), which cannot be stored; remove it",
                command, state)
        }
        if let exceeded = command.action.exceededLimit {
            let context = state.map { "\(describe($0)); " } ?? ""
            let what =
                switch (exceeded.limit.countsItems, exceeded.position) {
                case (true, _): "there are \(exceeded.length) tags; at most \(exceeded.limit.maximum) are allowed"
                case (false, let position?):
                    "tag \(position) has \(exceeded.length) characters; a tag may have at most \(exceeded.limit.maximum)"
                case (false, nil):
                    "the \(exceeded.limit.field) has \(exceeded.length) characters; it may have at most "
                        + "\(exceeded.limit.maximum)"
                }
            var refused = refusal(.overLimit, context + what, command, state)
            refused.limit = exceeded.limit
            throw refused
        }
        var command = command
        switch command.action.normalizingTags() {
        case .success(let action):
            command.action = action
        case .failure(let empty):
            let context = state.map { "\(describe($0)); " } ?? ""
            throw refusal(
                .invalidContent, "\(context)tag \(empty.position) is empty; remove it or give it text", command, state)
        }
        return command
    }
}
