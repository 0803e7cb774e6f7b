extension Array where Element: BitwiseCopyable {
    /// Appends `count` copies of `value` at memory-copy speed.
    ///
    /// `append(contentsOf: repeatElement(value, count: n))` copies element by element through
    /// the sequence's iterator, which made zero-filling decode buffers (hundreds of millions of
    /// floats and levels per ingest) a quarter of the read time. This fills a small temporary
    /// buffer once and appends it in blocks, each a `memcpy`.
    @inlinable
    public mutating func appendRepeating(_ value: Element, count: Int) {
        guard count > 0 else { return }
        let block = Swift.min(count, 4096)
        withUnsafeTemporaryAllocation(of: Element.self, capacity: block) { buffer in
            buffer.initialize(repeating: value)
            var left = count
            while left > 0 {
                let n = Swift.min(left, block)
                append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0 ..< n]))
                left -= n
            }
        }
    }
}
