//! What is printed, independent of any printer: lines with style, a big number, QR codes, barcodes.
//! Layouts build documents; `render` turns a document into one printer's bytes.

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Align {
    #[default]
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Style {
    pub bold: bool,
    /// Character width and height multipliers, 1 to 8.
    pub width: u8,
    pub height: u8,
    pub align: Align,
}

impl Default for Style {
    fn default() -> Self {
        Style { bold: false, width: 1, height: 1, align: Align::Left }
    }
}

impl Style {
    pub fn center() -> Style {
        Style { align: Align::Center, ..Style::default() }
    }
    pub fn bold(mut self) -> Style {
        self.bold = true;
        self
    }
    pub fn size(mut self, width: u8, height: u8) -> Style {
        self.width = width.clamp(1, 8);
        self.height = height.clamp(1, 8);
        self
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// One line of text; a line longer than the paper wraps at spaces.
    Text { text: String, style: Style },
    /// The ticket number, as large as the paper allows, centred.
    BigNumber(String),
    /// A QR code, centred.
    Qr(String),
    /// A Code 128 barcode, printed only where it fits at 2 dots a module or more.
    Barcode(String),
    /// A full-width rule.
    Separator,
    /// Blank lines.
    Feed(u8),
    /// Feed and cut (or feed enough to tear where the printer has no cutter).
    Cut,
}

/// A whole print job.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub blocks: Vec<Block>,
}

impl Document {
    pub fn new() -> Document {
        Document::default()
    }
    pub fn text(mut self, text: impl Into<String>, style: Style) -> Self {
        self.blocks.push(Block::Text { text: text.into(), style });
        self
    }
    pub fn push(mut self, block: Block) -> Self {
        self.blocks.push(block);
        self
    }
}
