import LarderColumnar

/// Decodes one column chunk (all its pages) into a ``Column``.
///
/// Every size a page header declares is checked against the bytes that exist and against
/// ``ParquetReadOptions`` limits before anything is allocated for it.
struct ColumnChunkDecoder {
    let leaf: LeafColumn
    let kind: PhysicalKind
    let codec: Codec
    let rowCount: Int
    let options: ParquetReadOptions
    let decompressor: PageDecompressor

    private var dictionary: DenseValues?
    private var dense = DenseValues()
    /// Flat columns: validity of the rows decoded so far (nil while every row is present).
    private var validity = Bitmap(count: 0, value: false)
    private var sawNull = false
    /// Vector columns: the current page's levels (scratch, reused), and per row so far
    /// whether it is present and how many elements it has.
    private var repetition: [UInt32] = []
    private var definition: [UInt32] = []
    private var listRowValid = Bitmap(count: 0, value: false)
    private var listLengths: [Int] = []
    private var levelsDecoded = 0
    private var scratch: [UInt8] = []
    private var indices: [UInt32] = []
    /// Flat columns read with a row selection: the rows wanted (non-decreasing), the next one
    /// to produce, rows of the chunk passed so far, and the selected rows' validity and
    /// non-null values. Pages holding no selected row are skipped undecompressed.
    private var selection: [Int]?
    private var cursor = 0
    private var rowsDone = 0
    private var selectedValidity = Bitmap(count: 0, value: false)
    private var selectedSawNull = false
    private var selected = DenseValues()

    /// - Parameter declaredValues: the chunk's value count from its metadata; used only as a
    ///   capacity hint for list columns, capped, so a wrong header cannot force an allocation.
    /// - Parameter selection: flat columns only: decode just these rows (non-decreasing, each
    ///   in `0 ..< rowCount`), in that order.
    init(leaf: LeafColumn, codec: Codec, rowCount: Int, options: ParquetReadOptions,
         decompressor: PageDecompressor, declaredValues: Int = 0, selection: [Int]? = nil) throws {
        if let selection {
            guard !leaf.isVector || (leaf.dimensionIsDeclared && leaf.field.map({ if case .vector = $0.type { true } else { false } }) == true) else {
                throw ParquetError(.invalidArgument, "a row selection applies to flat columns and vectors of declared dimension")
            }
            var previous = 0
            for r in selection {
                guard r >= previous, r < rowCount else {
                    throw ParquetError(.invalidArgument, "row selection must be non-decreasing rows of 0..<\(rowCount); got \(r) after \(previous)")
                }
                previous = r
            }
            self.selection = selection
        }
        self.leaf = leaf
        self.kind = try PhysicalKind(leaf.physicalType)
        self.codec = codec
        self.rowCount = rowCount
        self.options = options
        self.decompressor = decompressor
        if let selection {
            selectedValidity.reserveCapacity(selection.count)
            return
        }
        validity.reserveCapacity(rowCount)
        // A flat chunk holds at most one value per row: size the buffers once, so pages append
        // without reallocating (a chunk of 1M int64 values would otherwise be copied ~20 times).
        if !leaf.isVector {
            switch kind {
            case .int32: dense.int32.reserveCapacity(rowCount)
            case .int64, .int96: dense.int64.reserveCapacity(rowCount)
            case .float: dense.float.reserveCapacity(rowCount)
            case .double: dense.double.reserveCapacity(rowCount)
            case .bool: dense.bool.reserveCapacity(rowCount)
            case .bytes, .fixedBytes: dense.offsets.reserveCapacity(rowCount + 1)
            }
        } else if kind == .float {
            dense.float.reserveCapacity(min(max(declaredValues, 0), options.maxPageBytes / 4, 1 << 26))
        }
    }

    /// Decodes the pages in `bytes` (the chunk's byte range) into a column.
    mutating func decode(_ bytes: UnsafeRawBufferPointer) throws -> Column {
        var position = 0
        while position < bytes.count && !isComplete {
            let rest = UnsafeRawBufferPointer(rebasing: bytes[position...])
            let (header, headerLength) = try ParquetFormat.PageHeader.decode(rest)
            let compressedSize = Int(header.compressedPageSize)
            let uncompressedSize = Int(header.uncompressedPageSize)
            guard compressedSize >= 0, uncompressedSize >= 0 else {
                throw ParquetError(.corrupt, "page header declares a negative size")
            }
            guard compressedSize <= rest.count - headerLength else {
                throw ParquetError(.truncated, "page of \(compressedSize) bytes runs past the end of its column chunk")
            }
            guard uncompressedSize <= options.maxPageBytes else {
                throw ParquetError(.unsupported, "page declares \(uncompressedSize) uncompressed bytes, over the \(options.maxPageBytes)-byte limit (ParquetReadOptions.maxPageBytes)")
            }
            let body = UnsafeRawBufferPointer(rebasing: rest[headerLength ..< headerLength + compressedSize])
            switch header.type {
            case .dictionaryPage:
                guard let dh = header.dictionaryPageHeader else { throw ParquetError(.corrupt, "dictionary page without its header") }
                try readDictionary(body, uncompressedSize: uncompressedSize, count: Int(dh.numValues))
            case .dataPage:
                guard let dh = header.dataPageHeader else { throw ParquetError(.corrupt, "data page without its header") }
                try selectingRows(pageRows: Int(dh.numValues)) {
                    try $0.withDecompressed(body, uncompressedSize: uncompressedSize) { try $0.readDataPageV1($1, header: dh) }
                }
            case .dataPageV2:
                guard let dh = header.dataPageHeaderV2 else { throw ParquetError(.corrupt, "data page v2 without its header") }
                try selectingRows(pageRows: Int(dh.numValues)) {
                    try $0.readDataPageV2(body, uncompressedSize: uncompressedSize, header: dh)
                }
            default:
                break // index pages and unknown page types carry no values
            }
            position += headerLength + compressedSize
        }
        return try finish()
    }

    private var isComplete: Bool {
        if let selection { return cursor >= selection.count }
        return leaf.isVector ? false : validity.count >= rowCount
    }

    /// A vector page under a row selection: decoded on its own (its row count is known only
    /// from its levels), then the selected rows' floats copied out. Pages must start at a row
    /// boundary (Larder and pyarrow write them so); otherwise `.unsupported`, and the caller
    /// reads the whole chunk instead.
    private mutating func selectingVectorRows(_ selection: [Int], _ decodePage: (inout Self) throws -> Void) throws {
        guard case .vector(let dimension)? = leaf.field?.type else {
            throw ParquetError(.unsupported, "row selection on a list without a vector type")
        }
        var pageValues = DenseValues(), pageValid = Bitmap(count: 0, value: false), pageLengths: [Int] = []
        swap(&dense, &pageValues)
        swap(&listRowValid, &pageValid)
        swap(&listLengths, &pageLengths)
        let decoded = Result { try decodePage(&self) }
        swap(&dense, &pageValues)
        swap(&listRowValid, &pageValid)
        swap(&listLengths, &pageLengths)
        try decoded.get()
        guard repetition.first.map({ $0 == 0 }) ?? true else {
            throw ParquetError(.unsupported, "a list row continues across pages; read the whole column")
        }
        let pageStart = rowsDone
        rowsDone += pageLengths.count
        guard rowsDone <= rowCount else { throw ParquetError(.corrupt, "list column holds more than \(rowCount) rows") }
        var valueStart = 0, row = 0
        while cursor < selection.count && selection[cursor] < rowsDone {
            let r = selection[cursor] - pageStart
            while row < r {
                valueStart += pageLengths[row]
                row += 1
            }
            cursor += 1
            let valid = pageValid[r]
            selectedValidity.append(valid)
            if valid {
                guard pageLengths[r] == dimension, valueStart + dimension <= pageValues.float.count else {
                    throw ParquetError(.unsupported, "list '\(leaf.name)' has a row of length \(pageLengths[r]), not \(dimension)")
                }
                selected.float.append(contentsOf: pageValues.float[valueStart ..< valueStart + dimension])
            } else {
                selectedSawNull = true
                selected.float.append(contentsOf: repeatElement(0, count: dimension))
            }
        }
    }

    /// Runs `decodePage` for a data page of `pageRows` rows. With a row selection, the page is
    /// skipped when it holds no selected row, and otherwise decoded on its own (dictionary
    /// pages to indices only) and just its selected rows kept.
    private mutating func selectingRows(pageRows: Int, _ decodePage: (inout Self) throws -> Void) throws {
        guard let selection else { return try decodePage(&self) }
        if leaf.isVector { return try selectingVectorRows(selection, decodePage) }
        guard pageRows >= 0, pageRows <= rowCount - rowsDone else {
            throw ParquetError(.corrupt, "page declares \(pageRows) values but at most \(rowCount - rowsDone) can remain in its row group")
        }
        let pageStart = rowsDone, pageEnd = rowsDone + pageRows
        rowsDone = pageEnd
        guard cursor < selection.count, selection[cursor] < pageEnd else { return }
        var pageValidity = Bitmap(count: 0, value: false)
        var pageValues = DenseValues()
        pageValues.keepIndices = true
        let sawNullBefore = sawNull
        swap(&validity, &pageValidity)
        swap(&dense, &pageValues)
        sawNull = false
        let decoded = Result { try decodePage(&self) }
        let pageNulls = sawNull
        swap(&validity, &pageValidity)
        swap(&dense, &pageValues)
        sawNull = sawNullBefore
        try decoded.get()
        guard pageValidity.count == pageRows else {
            throw ParquetError(.corrupt, "page holds \(pageValidity.count) levels for \(pageRows) rows")
        }
        // Indices of the selected non-null rows among the page's values (or its dictionary's).
        let first = cursor
        while cursor < selection.count && selection[cursor] < pageEnd { cursor += 1 }
        var picks: [UInt32] = []
        picks.reserveCapacity(cursor - first)
        let fromDictionary = pageValues.dictionaryIndexed
        let valueCount = fromDictionary ? pageValues.indices.count : pageValues.count(kind)
        if !pageNulls {
            selectedValidity.appendRepeated(true, count: cursor - first)
            for k in first ..< cursor { picks.append(UInt32(truncatingIfNeeded: selection[k] - pageStart)) }
        } else {
            // The value index of row r is the number of valid rows before it: count whole
            // bytes of the validity bitmap, then the bits of the last one.
            pageValidity.bytes.withUnsafeBufferPointer { bits in
                var byte = 0, before = 0
                for k in first ..< cursor {
                    let r = selection[k] - pageStart
                    while byte < r >> 3 {
                        before += bits[byte].nonzeroBitCount
                        byte += 1
                    }
                    let bit = UInt8(1) << UInt8(r & 7)
                    let valid = bits[r >> 3] & bit != 0
                    selectedValidity.append(valid)
                    if valid {
                        picks.append(UInt32(truncatingIfNeeded: before + (bits[r >> 3] & (bit &- 1)).nonzeroBitCount))
                    } else {
                        selectedSawNull = true
                    }
                }
            }
        }
        // Rows ascend, so their value indices do: the last bounds them all.
        if let last = picks.last, Int(last) >= valueCount {
            throw ParquetError(.corrupt, "page holds \(valueCount) values, fewer than its levels say")
        }
        if fromDictionary {
            pageValues.indices.withUnsafeBufferPointer { idx in
                for k in picks.indices { picks[k] = idx[Int(picks[k])] }
            }
        }
        if fromDictionary {
            guard let dictionary else { throw ParquetError(.corrupt, "dictionary-encoded page without a dictionary page") }
            try picks.withUnsafeBufferPointer { try selected.appendGathered(from: dictionary, kind: kind, indices: $0) }
        } else {
            try picks.withUnsafeBufferPointer { try selected.appendGathered(from: pageValues, kind: kind, indices: $0) }
        }
    }

    /// Decompresses a page body into the reused scratch buffer and calls `body` with it;
    /// uncompressed pages are passed through without a copy.
    private mutating func withDecompressed(_ compressed: UnsafeRawBufferPointer, uncompressedSize: Int,
                                           _ body: (inout Self, UnsafeRawBufferPointer) throws -> Void) throws {
        if codec == .uncompressed {
            guard compressed.count == uncompressedSize else {
                throw ParquetError(.corrupt, "uncompressed page has \(compressed.count) bytes but its header says \(uncompressedSize)")
            }
            try body(&self, compressed)
            return
        }
        var buffer = scratch
        scratch = []
        defer { scratch = buffer }
        if buffer.count < uncompressedSize {
            buffer = [UInt8](unsafeUninitializedCapacity: uncompressedSize) { _, n in n = uncompressedSize }
        }
        try buffer.withUnsafeMutableBytes { raw in
            let out = UnsafeMutableRawBufferPointer(rebasing: raw[0 ..< uncompressedSize])
            try decompressor.decompress(codec, compressed, into: out)
            try body(&self, UnsafeRawBufferPointer(out))
        }
    }

    // MARK: Dictionary

    private mutating func readDictionary(_ body: UnsafeRawBufferPointer, uncompressedSize: Int, count: Int) throws {
        guard dictionary == nil else { throw ParquetError(.corrupt, "column chunk has two dictionary pages") }
        guard count >= 0 else { throw ParquetError(.corrupt, "dictionary page declares \(count) values") }
        var dict = DenseValues()
        try withDecompressed(body, uncompressedSize: uncompressedSize) { try $0.decodeValues($1, count: count, encoding: .plain, into: &dict) }
        dictionary = dict
    }

    // MARK: Data pages

    private mutating func readDataPageV1(_ page: UnsafeRawBufferPointer, header: ParquetFormat.DataPageHeader) throws {
        let levelCount = Int(header.numValues)
        try checkLevelCount(levelCount, pageBytes: page.count)
        repetition.removeAll(keepingCapacity: true)
        definition.removeAll(keepingCapacity: true)
        var offset = 0
        var present = levelCount
        if leaf.maxRepetitionLevel > 0 {
            let rest = UnsafeRawBufferPointer(rebasing: page[offset...])
            let (body, consumed) = try RLEHybridDecoder.splitLengthPrefix(rest)
            try appendLevels(body, count: levelCount, maxLevel: leaf.maxRepetitionLevel, into: &repetition)
            offset += consumed
        }
        if leaf.maxDefinitionLevel > 0 {
            let rest = UnsafeRawBufferPointer(rebasing: page[offset...])
            let (body, consumed) = try RLEHybridDecoder.splitLengthPrefix(rest)
            present = try appendDefinitionLevels(body, count: levelCount)
            offset += consumed
        } else {
            validity.appendRepeated(true, count: levelCount)
        }
        levelsDecoded += levelCount
        if leaf.isVector { try consumeListLevels() }
        try decodeValues(UnsafeRawBufferPointer(rebasing: page[offset...]), count: present,
                         encoding: header.encoding, into: &dense)
    }

    private mutating func readDataPageV2(_ body: UnsafeRawBufferPointer, uncompressedSize: Int,
                                         header: ParquetFormat.DataPageHeaderV2) throws {
        let levelCount = Int(header.numValues)
        let repLength = Int(header.repetitionLevelsByteLength), defLength = Int(header.definitionLevelsByteLength)
        guard repLength >= 0, defLength >= 0, repLength + defLength <= body.count,
              repLength + defLength <= uncompressedSize else {
            throw ParquetError(.corrupt, "data page v2 level lengths exceed the page")
        }
        try checkLevelCount(levelCount, pageBytes: uncompressedSize)
        repetition.removeAll(keepingCapacity: true)
        definition.removeAll(keepingCapacity: true)
        var present = levelCount
        if leaf.maxRepetitionLevel > 0 {
            try appendLevels(UnsafeRawBufferPointer(rebasing: body[0 ..< repLength]), count: levelCount,
                             maxLevel: leaf.maxRepetitionLevel, into: &repetition)
        }
        if leaf.maxDefinitionLevel > 0 {
            present = try appendDefinitionLevels(UnsafeRawBufferPointer(rebasing: body[repLength ..< repLength + defLength]),
                                                 count: levelCount)
        } else {
            validity.appendRepeated(true, count: levelCount)
        }
        levelsDecoded += levelCount
        if leaf.isVector { try consumeListLevels() }
        let values = UnsafeRawBufferPointer(rebasing: body[(repLength + defLength)...])
        let valuesSize = uncompressedSize - repLength - defLength
        if header.isCompressed && codec != .uncompressed {
            var out = DenseValues()
            swap(&out, &dense)
            defer { swap(&out, &dense) }
            try withDecompressed(values, uncompressedSize: valuesSize) { try $0.decodeValues($1, count: present, encoding: header.encoding, into: &out) }
        } else {
            try decodeValues(values, count: present, encoding: header.encoding, into: &dense)
        }
    }

    /// Bounds a page's level count before anything is allocated for it. A flat column has one
    /// level per row, so the rows left in the row group bound it. A vector's elements can be
    /// run-length encoded into almost nothing, so only the decoded size can bound them: at
    /// most ``ParquetReadOptions/maxPageBytes`` of 4-byte floats per page.
    private func checkLevelCount(_ count: Int, pageBytes: Int) throws {
        guard count >= 0 else { throw ParquetError(.corrupt, "page declares \(count) values") }
        if leaf.isVector {
            guard count <= options.maxPageBytes / 4 else {
                throw ParquetError(.unsupported, "page declares \(count) list values, over the decoded-size limit (ParquetReadOptions.maxPageBytes)")
            }
        } else {
            guard count <= rowCount - validity.count else {
                throw ParquetError(.corrupt, "page declares \(count) values but at most \(rowCount - validity.count) can remain in its row group")
            }
        }
    }

    private func appendLevels(_ body: UnsafeRawBufferPointer, count: Int, maxLevel: Int, into out: inout [UInt32]) throws {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: count))
        try out.withUnsafeMutableBufferPointer { buf in
            let dst = UnsafeMutableBufferPointer(rebasing: buf[start...])
            try RLEHybridDecoder.decode(body, bitWidth: RLEHybridEncoder.bitWidth(forMaxValue: UInt64(maxLevel)),
                                        count: count, into: dst)
        }
        for level in out[start...] where level > maxLevel {
            throw ParquetError(.corrupt, "level \(level) exceeds the column's maximum \(maxLevel)")
        }
    }

    /// Decodes definition levels; returns how many entries carry a value.
    private mutating func appendDefinitionLevels(_ body: UnsafeRawBufferPointer, count: Int) throws -> Int {
        if leaf.isVector {
            try appendLevels(body, count: count, maxLevel: leaf.maxDefinitionLevel, into: &definition)
            var present = 0
            for d in definition[(definition.count - count)...] where d == leaf.maxDefinitionLevel { present += 1 }
            return present
        }
        let (bytes, present) = try RLEHybridDecoder.decodeDefinitionLevels(body, count: count, maxLevel: leaf.maxDefinitionLevel)
        if present != count { sawNull = true }
        validity.append(bits: bytes, count: count)
        return present
    }

    // MARK: Values

    private func decodeValues(_ src: UnsafeRawBufferPointer, count: Int, encoding: ParquetFormat.Encoding,
                              into out: inout DenseValues) throws {
        switch encoding {
        case .plain:
            switch kind {
            case .int32: try PlainEncoding.decode(src, count: count, appendingTo: &out.int32)
            case .int64: try PlainEncoding.decode(src, count: count, appendingTo: &out.int64)
            case .int96: try PlainEncoding.decodeInt96AsMicros(src, count: count, appendingTo: &out.int64)
            case .float: try PlainEncoding.decode(src, count: count, appendingTo: &out.float)
            case .double: try PlainEncoding.decode(src, count: count, appendingTo: &out.double)
            case .bool: try PlainEncoding.decodeBooleans(src, count: count, appendingTo: &out.bool)
            case .bytes: try PlainEncoding.decodeByteArrays(src, count: count, offsets: &out.offsets, data: &out.data)
            case .fixedBytes:
                try PlainEncoding.decodeFixedLenByteArrays(src, count: count, length: leaf.typeLength,
                                                           offsets: &out.offsets, data: &out.data)
            }
        case .plainDictionary, .rleDictionary:
            guard let dictionary else { throw ParquetError(.corrupt, "dictionary-encoded page without a dictionary page") }
            guard count > 0 else { return }
            guard let width = src.first else { throw ParquetError(.corrupt, "dictionary page data is empty") }
            var idx = [UInt32](repeating: 0, count: count)
            _ = try idx.withUnsafeMutableBufferPointer { buf in
                try RLEHybridDecoder.decode(UnsafeRawBufferPointer(rebasing: src[1...]), bitWidth: Int(width),
                                            count: count, into: buf)
            }
            if out.keepIndices {
                // A selective read gathers only the rows it wants, later.
                out.indices.append(contentsOf: idx)
                out.dictionaryIndexed = true
                return
            }
            try idx.withUnsafeBufferPointer { try out.appendGathered(from: dictionary, kind: kind, indices: $0) }
        case .rle where kind == .bool:
            // RLE booleans carry a 4-byte length prefix, like v1 levels.
            let (body, _) = try RLEHybridDecoder.splitLengthPrefix(src)
            let bits = try RLEHybridDecoder.decode(body, bitWidth: 1, count: count)
            out.bool.append(contentsOf: bits.lazy.map { $0 != 0 })
        case .byteStreamSplit:
            switch kind {
            case .int32: try ByteStreamSplitDecoder.decode(src, count: count, appendingTo: &out.int32)
            case .int64: try ByteStreamSplitDecoder.decode(src, count: count, appendingTo: &out.int64)
            case .float: try ByteStreamSplitDecoder.decode(src, count: count, appendingTo: &out.float)
            case .double: try ByteStreamSplitDecoder.decode(src, count: count, appendingTo: &out.double)
            case .fixedBytes:
                try ByteStreamSplitDecoder.decodeFixedLenByteArrays(src, count: count, width: leaf.typeLength,
                                                                    offsets: &out.offsets, data: &out.data)
            default: throw ParquetError(.unsupported, "BYTE_STREAM_SPLIT for \(leaf.physicalType) values")
            }
        case .deltaBinaryPacked where kind == .int32:
            try DeltaBinaryPackedDecoder.decode(src, count: count, appendingTo: &out.int32)
        case .deltaBinaryPacked where kind == .int64:
            try DeltaBinaryPackedDecoder.decode(src, count: count, appendingTo: &out.int64)
        case .deltaLengthByteArray where kind == .bytes:
            try DeltaByteArrayDecoder.decodeDeltaLength(src, count: count, offsets: &out.offsets, data: &out.data)
        case .deltaByteArray where kind == .bytes || kind == .fixedBytes:
            try DeltaByteArrayDecoder.decodeDeltaByteArray(src, count: count, offsets: &out.offsets, data: &out.data,
                                                    maxDecodedBytes: options.maxPageBytes)
        default:
            throw ParquetError(.unsupported, "encoding \(encoding) for \(leaf.physicalType) values")
        }
    }

    // MARK: Assembly

    private func finish() throws -> Column {
        guard let field = leaf.field else {
            throw ParquetError(.unsupported, leaf.unsupportedReason ?? "unsupported column")
        }
        if let selection, leaf.isVector, case .vector(let dimension) = field.type {
            guard cursor == selection.count else {
                throw ParquetError(.corrupt, "column chunk ends before row \(selection[cursor]) of its \(rowCount)")
            }
            return try Column(type: field.type, storage: .vector(dimension: dimension, values: selected.float),
                              validity: selectedSawNull ? selectedValidity : nil)
        }
        if leaf.isVector { return try finishVector(field) }
        if let selection {
            guard cursor == selection.count else {
                throw ParquetError(.corrupt, "column chunk ends before row \(selection[cursor]) of its \(rowCount)")
            }
            return try selected.column(type: field.type, kind: kind, conversion: leaf.conversion,
                                       validity: selectedSawNull ? selectedValidity : nil, rowCount: selection.count)
        }
        guard validity.count == rowCount else {
            throw ParquetError(.corrupt, "column chunk holds \(validity.count) values for \(rowCount) rows")
        }
        return try dense.column(type: field.type, kind: kind, conversion: leaf.conversion,
                                validity: sawNull ? validity : nil, rowCount: rowCount)
    }

    /// Folds the current page's list levels into per-row presence and lengths. A list may
    /// continue from the previous page (its first repetition level is then 1).
    private mutating func consumeListLevels() throws {
        guard definition.count == repetition.count else {
            throw ParquetError(.corrupt, "repetition and definition levels differ in count")
        }
        let maxDef = UInt32(leaf.maxDefinitionLevel)
        let nullable = leaf.field?.isNullable ?? true
        let nullRowLevel: UInt32 = nullable ? 0 : UInt32.max
        let emptyListLevel = UInt32(nullable ? 1 : 0)
        if selection == nil { listLengths.reserveCapacity(rowCount) }
        // Row lengths and validity are counted in locals and appended once per page.
        var lengths: [Int] = []
        var valid: [Bool] = []
        var current = 0
        var inRow = false
        if let first = repetition.first, first != 0 {
            // The page continues the previous page's last row.
            guard let last = listLengths.popLast() else {
                throw ParquetError(.corrupt, "list continues before any row starts")
            }
            current = last
            inRow = true
        }
        try repetition.withUnsafeBufferPointer { rep in
            try definition.withUnsafeBufferPointer { def in
                for i in 0 ..< rep.count {
                    let d = def[i]
                    if rep[i] == 0 {
                        if inRow { lengths.append(current) }
                        current = 0
                        inRow = true
                        valid.append(d != nullRowLevel)
                    }
                    if d == maxDef {
                        current += 1
                    } else if d != nullRowLevel && d != emptyListLevel {
                        throw ParquetError(.unsupported, "list '\(leaf.name)' holds a null element; Larder vectors have no null elements")
                    }
                }
            }
        }
        if inRow { lengths.append(current) }
        listLengths.append(contentsOf: lengths)
        let bits = Bitmap(valid)
        listRowValid.append(bits: bits.bytes, count: bits.count)
        guard listLengths.count <= rowCount else {
            throw ParquetError(.corrupt, "list column holds more than \(rowCount) rows")
        }
    }

    /// Rebuilds fixed-dimension vectors from the per-row lengths.
    private func finishVector(_ field: Field) throws -> Column {
        guard case .vector(let declared) = field.type else { throw ParquetError(.corrupt, "vector leaf without a vector type") }
        guard listLengths.count == rowCount else {
            throw ParquetError(.corrupt, "list column holds \(listLengths.count) rows for \(rowCount)")
        }
        var dimension = leaf.dimensionIsDeclared ? declared : 0
        var total = 0
        for (i, n) in listLengths.enumerated() where listRowValid[i] {
            if dimension == 0 { dimension = n }
            guard n == dimension, n > 0 else {
                throw ParquetError(.unsupported, "list '\(leaf.name)' has rows of length \(dimension) and \(n); Larder reads lists of floats as fixed-dimension vectors")
            }
            total += n
        }
        if dimension == 0 { dimension = declared }
        guard dense.float.count == total else {
            throw ParquetError(.corrupt, "list column holds \(dense.float.count) values for \(total) elements")
        }
        let allValid = listRowValid.allSet
        if allValid {
            // Every row present: the decoded floats already are the vector buffer.
            return try Column(type: .vector(dimension: dimension), storage: .vector(dimension: dimension, values: dense.float))
        }
        // One pass into uninitialized storage: each present row copied to its place, each null
        // row zeroed (no zero fill of the whole buffer first).
        let values = [Float](unsafeUninitializedCapacity: rowCount * dimension) { out, initialized in
            dense.float.withUnsafeBufferPointer { present in
                guard let to = out.baseAddress, let from = present.baseAddress else {
                    out.initialize(repeating: 0)
                    return
                }
                var src = 0
                for i in 0 ..< rowCount {
                    let dst = to + i * dimension
                    if listRowValid[i] {
                        dst.initialize(from: from + src, count: dimension)
                        src += dimension
                    } else {
                        dst.initialize(repeating: 0, count: dimension)
                    }
                }
            }
            initialized = rowCount * dimension
        }
        return try Column(type: .vector(dimension: dimension), storage: .vector(dimension: dimension, values: values),
                          validity: listRowValid)
    }
}

extension Bitmap {
    /// Appends `count` copies of `bit`.
    mutating func appendRepeated(_ bit: Bool, count: Int) {
        append(bits: [UInt8](repeating: bit ? 0xFF : 0, count: (count + 7) / 8), count: count)
    }
}
