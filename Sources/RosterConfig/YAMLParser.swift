import CYAML

/// One libyaml event, copied out of C memory so the C event can be freed at once.
struct YAMLEvent: Sendable {
    enum Kind: Sendable, Equatable {
        case streamStart
        case streamEnd
        case documentStart
        case documentEnd
        case alias(anchor: String)
        case scalar(YAMLScalar)
        case sequenceStart
        case sequenceEnd
        case mappingStart
        case mappingEnd
    }

    var kind: Kind
    /// `&name` on a scalar, sequence or mapping.
    var anchor: String?
    var mark: YAMLMark
}

/// Owns libyaml's `yaml_parser_t` and the bytes it reads; hands out events one at a time.
/// libyaml does all the tokenizing; `YAMLTreeBuilder` only assembles the events into nodes.
final class YAMLParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    /// libyaml keeps a pointer to its input, so the bytes live exactly as long as the parser.
    private let input: UnsafeMutableBufferPointer<UInt8>
    private var finished = false

    init(text: String) throws(YAMLProblem) {
        parser = .allocate(capacity: 1)
        guard yaml_parser_initialize(parser) == 1 else {
            parser.deallocate()
            throw YAMLProblem(mark: YAMLMark(line: 1, column: 1), message: "out of memory starting the YAML parser")
        }
        let bytes = Array(text.utf8)
        // One spare zero byte so that even empty input has a valid, initialised buffer.
        input = .allocate(capacity: bytes.count + 1)
        input.initialize(repeating: 0)
        _ = input.initialize(from: bytes)
        yaml_parser_set_encoding(parser, YAML_UTF8_ENCODING)
        yaml_parser_set_input_string(parser, input.baseAddress, bytes.count)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    /// The next event, or a syntax error with libyaml's own wording and position.
    func next() throws(YAMLProblem) -> YAMLEvent {
        precondition(!finished, "YAMLParser.next() called after the end of the stream")
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else { throw syntaxError() }
        defer { yaml_event_delete(&event) }
        let mark = YAMLMark(line: Int(event.start_mark.line) + 1, column: Int(event.start_mark.column) + 1)
        switch event.type {
        case YAML_STREAM_START_EVENT:
            return YAMLEvent(kind: .streamStart, mark: mark)
        case YAML_STREAM_END_EVENT:
            finished = true
            return YAMLEvent(kind: .streamEnd, mark: mark)
        case YAML_DOCUMENT_START_EVENT:
            return YAMLEvent(kind: .documentStart, mark: mark)
        case YAML_DOCUMENT_END_EVENT:
            return YAMLEvent(kind: .documentEnd, mark: mark)
        case YAML_ALIAS_EVENT:
            return YAMLEvent(kind: .alias(anchor: Self.string(event.data.alias.anchor) ?? ""), mark: mark)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            let value = String(decoding: UnsafeBufferPointer(start: data.value, count: data.length), as: UTF8.self)
            let tag = Self.string(data.tag)
            let plain = data.style == YAML_PLAIN_SCALAR_STYLE && tag == nil
            return YAMLEvent(
                kind: .scalar(YAMLScalar(value: value, isPlain: plain, tag: tag)), anchor: Self.string(data.anchor),
                mark: mark)
        case YAML_SEQUENCE_START_EVENT:
            return YAMLEvent(kind: .sequenceStart, anchor: Self.string(event.data.sequence_start.anchor), mark: mark)
        case YAML_SEQUENCE_END_EVENT:
            return YAMLEvent(kind: .sequenceEnd, mark: mark)
        case YAML_MAPPING_START_EVENT:
            return YAMLEvent(kind: .mappingStart, anchor: Self.string(event.data.mapping_start.anchor), mark: mark)
        case YAML_MAPPING_END_EVENT:
            return YAMLEvent(kind: .mappingEnd, mark: mark)
        default:
            throw YAMLProblem(mark: mark, message: "unexpected YAML event \(event.type.rawValue)")
        }
    }

    /// libyaml's problem and context, worded the way PyYAML prints them.
    private func syntaxError() -> YAMLProblem {
        let state = parser.pointee
        let problem = Self.string(state.problem) ?? "invalid YAML"
        var mark = YAMLMark(line: Int(state.problem_mark.line) + 1, column: Int(state.problem_mark.column) + 1)
        if state.error == YAML_READER_ERROR {
            // The reader reports a byte offset, not a line: count the lines up to it.
            mark = Self.mark(atByte: state.problem_offset, in: UnsafeBufferPointer(input))
        }
        var message = "YAML syntax error: \(problem)"
        if let context = Self.string(state.context) {
            let line = Int(state.context_mark.line) + 1
            let column = Int(state.context_mark.column) + 1
            message += " (\(context) at line \(line), column \(column))"
        }
        if state.error == YAML_SCANNER_ERROR, problem.contains("cannot start any token"),
            Self.byte(at: state.problem_mark.index, in: input) == UInt8(ascii: "\t")
        {
            message += "; indent with spaces, not tabs"
        }
        return YAMLProblem(mark: mark, message: message)
    }

    private static func string(_ pointer: UnsafePointer<CChar>?) -> String? {
        pointer.map { String(cString: $0) }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }

    private static func byte(at index: Int, in bytes: UnsafeMutableBufferPointer<UInt8>) -> UInt8? {
        index >= 0 && index < bytes.count ? bytes[index] : nil
    }

    private static func mark(atByte offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> YAMLMark {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        return YAMLMark(line: line, column: max(offset - lineStart, 0) + 1)
    }
}

// The C parser keeps internal state between calls and is not thread-safe.
@available(*, unavailable)
extension YAMLParser: Sendable {}
