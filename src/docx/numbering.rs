//! Turns the document's lists into Word numbering: one abstract definition for numbered and
//! one for bulleted lists (nine levels each, hanging indents from the style), and one
//! numbering instance per list so that every numbered list restarts at its own start.
//! Word cannot nest lists deeper than those nine levels; [`MAX_DEPTH`] is checked before
//! rendering (`super::check`).

use docx_rs::{
    AbstractNumbering, Level, LevelJc, LevelOverride, LevelSuffixType, LevelText, NumberFormat,
    Numbering, SpecialIndentType, Start,
};

use super::styles::twips;

/// List levels Word supports (`w:ilvl` 0–8).
pub const MAX_DEPTH: usize = 9;

const DECIMAL: usize = 1;
const BULLET: usize = 2;
/// 一、 二、 …: the label sits in the body's first-line indent, with no hanging indent, as
/// the letter's points are set (see `enumeration.rs`).
const CHINESE: usize = 3;

/// The numbering instances handed out so far.
#[derive(Debug, Default)]
pub struct Lists {
    instances: Vec<Numbering>,
}

impl Lists {
    /// A new instance for a list: numbered from `start`, or bulleted.
    pub fn open(&mut self, ordered: Option<u64>) -> usize {
        let id = self.instances.len() + 1;
        let numbering = match ordered {
            Some(start) => Numbering::new(id, DECIMAL)
                .add_override(LevelOverride::new(0).start(start as usize)),
            None => Numbering::new(id, BULLET),
        };
        self.instances.push(numbering);
        id
    }

    /// A new instance for a letter's points 一、 二、 … from 一.
    pub fn open_chinese(&mut self) -> usize {
        let id = self.instances.len() + 1;
        // Instances of one abstract definition continue each other's count unless told to
        // start over (Word and LibreOffice alike).
        let numbering = Numbering::new(id, CHINESE).add_override(LevelOverride::new(0).start(1));
        self.instances.push(numbering);
        id
    }

    /// The abstract definitions (hanging indent `hang` points per level; `first_line` points
    /// of first-line indent for the Chinese points) and the instances.
    pub fn into_parts(
        self,
        hang: f32,
        first_line: f32,
    ) -> (Vec<AbstractNumbering>, Vec<Numbering>) {
        let abstracts = vec![
            abstract_numbering(DECIMAL, hang, |level| {
                ("decimal", format!("%{}.", level + 1))
            }),
            abstract_numbering(BULLET, hang, |level| {
                let mark = ["•", "◦", "▪"][level % 3];
                ("bullet", mark.to_string())
            }),
            chinese_points(first_line),
        ];
        (abstracts, self.instances)
    }
}

fn chinese_points(first_line: f32) -> AbstractNumbering {
    let level = Level::new(
        0,
        Start::new(1),
        NumberFormat::new("chineseCounting"),
        LevelText::new("%1、"),
        LevelJc::new("left"),
    )
    .indent(
        Some(0),
        Some(SpecialIndentType::FirstLine(twips(first_line) as i32)),
        None,
        None,
    )
    .suffix(LevelSuffixType::Nothing);
    AbstractNumbering::new(CHINESE).add_level(level)
}

fn abstract_numbering(
    id: usize,
    hang: f32,
    format: impl Fn(usize) -> (&'static str, String),
) -> AbstractNumbering {
    (0..MAX_DEPTH).fold(AbstractNumbering::new(id), |a, level| {
        let (kind, text) = format(level);
        let left = twips(hang * (level + 1) as f32) as i32;
        let hanging = twips(hang) as i32;
        a.add_level(
            Level::new(
                level,
                Start::new(1),
                NumberFormat::new(kind),
                LevelText::new(text),
                LevelJc::new("left"),
            )
            .indent(
                Some(left),
                Some(SpecialIndentType::Hanging(hanging)),
                None,
                None,
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use docx_rs::BuildXML;

    #[test]
    fn each_numbered_list_restarts_at_its_start() {
        let mut lists = Lists::default();
        assert_eq!(lists.open(Some(3)), 1);
        assert_eq!(lists.open(None), 2);
        let (abstracts, instances) = lists.into_parts(21.0, 32.0);
        let first = String::from_utf8(instances[0].build()).unwrap();
        assert!(first.contains("<w:abstractNumId w:val=\"1\""), "{first}");
        assert!(first.contains("<w:startOverride w:val=\"3\""), "{first}");
        let decimal = String::from_utf8(abstracts[0].build()).unwrap();
        assert!(decimal.contains("<w:lvlText w:val=\"%1.\""), "{decimal}");
        assert!(decimal.contains("w:hanging=\"420\""), "{decimal}");
        let chinese = String::from_utf8(abstracts[2].build()).unwrap();
        assert!(chinese.contains("chineseCounting"), "{chinese}");
        assert!(chinese.contains("<w:lvlText w:val=\"%1、\""), "{chinese}");
    }
}
