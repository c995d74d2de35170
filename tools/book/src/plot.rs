//! Plots of a benchmark's figures. A listing's `[plot]` table (in its expect.toml) says how the
//! table its samples print becomes series; this module reads the samples, draws the plot with
//! plotters (SVG, a light and a dark variant) and checks the committed SVGs. One mechanism:
//! `cargo xtask bench` writes the samples of a run and then the SVGs from them (`write`),
//! `cargo xtask plots` draws them again from the committed samples, and the listing's test
//! (`check`) draws them in memory and fails when a committed SVG differs, so the table a chapter
//! shows and its plot can never disagree.
//!
//! The SVGs are `src/plots/<listing folder>-light.svg` and `-dark.svg` (in src/, so that mdbook
//! copies them into the site); a chapter shows them as theme/book.css swaps the pre-rendered
//! diagrams, with the HTML [`figure_html`] writes.

use crate::book::{Book, Listing};
use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use regex::Regex;
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// Where the plots live, relative to the book's root.
pub const DIR: &str = "src/plots";

/// `[plot]` of expect.toml.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlotSpec {
    /// The plot's title, drawn above it.
    pub title: String,
    /// A regex that fully matches each row of the table: the group `label` names the row, and
    /// each panel's `value` is a named group holding a number. Other lines are ignored.
    pub row: String,
    /// A regex whose first group, in the first series' sample, is drawn under the title: the
    /// machine the figures come from.
    pub subtitle: Option<String>,
    /// One series per sample (`output.txt`, `output-pinned.txt`…), each a marker per row.
    pub series: Vec<SeriesSpec>,
    /// One panel per value, stacked; each has a row per table row.
    pub panels: Vec<PanelSpec>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeriesSpec {
    /// The sample, a file of the listing's folder (`output*.txt`).
    pub sample: String,
    /// Its name in the legend.
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PanelSpec {
    /// The named group of `row` that holds this panel's number.
    pub value: String,
    pub title: String,
    /// The horizontal axis's label (its unit).
    pub axis: String,
    /// A logarithmic axis (every value must then be positive).
    #[serde(default)]
    pub log: bool,
}

impl PlotSpec {
    /// What can be checked without the samples: the regexes compile, name their groups, and the
    /// series are samples.
    pub fn validate(&self) -> Result<(), String> {
        let row = Regex::new(&self.row).map_err(|e| format!("[plot] row: {e}"))?;
        let groups: Vec<&str> = row.capture_names().flatten().collect();
        if !groups.contains(&"label") {
            return Err("[plot] row has no group `label` (write (?<label>…)): the name of each row".into());
        }
        if self.panels.is_empty() {
            return Err("[plot] has no [[plot.panels]]: nothing to draw".into());
        }
        for p in &self.panels {
            if !groups.contains(&p.value.as_str()) {
                return Err(format!("[plot] panel {:?}: its value {:?} is not a named group of row ({})", p.title, p.value, groups.join(", ")));
            }
        }
        if self.series.is_empty() {
            return Err("[plot] series is empty: name at least one sample".into());
        }
        for s in &self.series {
            if !(s.sample.starts_with("output") && s.sample.ends_with(".txt")) || s.sample.contains('/') {
                return Err(format!("[plot] series {:?}: {:?} is not one of the listing's output*.txt samples", s.name, s.sample));
            }
        }
        if let Some(sub) = &self.subtitle {
            let re = Regex::new(sub).map_err(|e| format!("[plot] subtitle: {e}"))?;
            if re.captures_len() < 2 {
                return Err("[plot] subtitle has no group: the group is what is drawn".into());
            }
        }
        Ok(())
    }
}

/// What the samples say: the rows' labels and, per panel, per series, per row, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub subtitle: Option<String>,
    pub labels: Vec<String>,
    pub values: Vec<Vec<Vec<f64>>>,
}

/// Reads the samples of `dir` (the listing's folder, `shown` is how messages name it) as `spec`
/// says. Every sample must have the same rows, in the same order.
pub fn read_data(spec: &PlotSpec, dir: &Path, shown: &Path) -> Result<Data, String> {
    spec.validate()?;
    let row = Regex::new(&format!("^(?:{})$", spec.row)).unwrap();
    let mut labels: Option<Vec<String>> = None;
    let mut values = vec![Vec::new(); spec.panels.len()];
    let mut subtitle = None;
    for (i, s) in spec.series.iter().enumerate() {
        let at = shown.join(&s.sample);
        let text = std::fs::read_to_string(dir.join(&s.sample)).map_err(|e| format!("{}: {e} (a sample that [plot] series names)", at.display()))?;
        if i == 0 {
            if let Some(sub) = &spec.subtitle {
                let re = Regex::new(&format!("(?m){sub}")).unwrap();
                let c = re.captures(&text).ok_or_else(|| format!("{}: no line matches [plot] subtitle {sub:?}", at.display()))?;
                subtitle = Some(c.get(1).map_or("", |m| m.as_str()).trim().to_string());
            }
        }
        let mut these = Vec::new();
        let mut per_panel = vec![Vec::new(); spec.panels.len()];
        for (n, line) in text.lines().enumerate() {
            let Some(c) = row.captures(line) else { continue };
            these.push(c["label"].trim().to_string());
            for (p, panel) in spec.panels.iter().enumerate() {
                let raw = c.name(&panel.value).map_or("", |m| m.as_str());
                let v: f64 = raw.trim().parse().map_err(|_| format!("{}:{}: {:?} ({}) is not a number", at.display(), n + 1, raw, panel.value))?;
                if !v.is_finite() || (panel.log && v <= 0.0) {
                    return Err(format!("{}:{}: {} = {v} cannot be drawn{}", at.display(), n + 1, panel.value, if panel.log { " on a log axis" } else { "" }));
                }
                per_panel[p].push(v);
            }
        }
        if these.is_empty() {
            return Err(format!("{}: no line matches [plot] row {:?}", at.display(), spec.row));
        }
        match &labels {
            None => labels = Some(these),
            Some(first) if *first != these => {
                return Err(format!(
                    "{}: its rows ({}) are not those of {} ({}); every sample of a plot has the same rows",
                    at.display(),
                    these.join(", "),
                    spec.series[0].sample,
                    first.join(", ")
                ));
            }
            Some(_) => {}
        }
        for (p, v) in per_panel.into_iter().enumerate() {
            values[p].push(v);
        }
    }
    Ok(Data { subtitle, labels: labels.unwrap(), values })
}

/// The colours of one variant. The background is left transparent: the page's shows through.
pub struct Theme {
    pub name: &'static str,
    text: RGBColor,
    faint: RGBColor,
    grid: RGBColor,
    series: [RGBColor; 4],
}

/// The two variants: light themes (light, rust) and dark ones (coal, navy, ayu). Every colour
/// has at least 4.5:1 contrast on the themes' backgrounds.
pub const THEMES: [Theme; 2] = [
    Theme {
        name: "light",
        text: RGBColor(0x1f, 0x23, 0x28),
        faint: RGBColor(0x4d, 0x55, 0x5e),
        grid: RGBColor(0xc8, 0xcf, 0xd6),
        series: [RGBColor(0x0b, 0x5c, 0xad), RGBColor(0xb3, 0x3f, 0x00), RGBColor(0x1a, 0x7f, 0x37), RGBColor(0x82, 0x50, 0xdf)],
    },
    Theme {
        name: "dark",
        text: RGBColor(0xe6, 0xed, 0xf3),
        faint: RGBColor(0xb0, 0xb8, 0xc1),
        grid: RGBColor(0x44, 0x4c, 0x56),
        series: [RGBColor(0x6c, 0xb6, 0xff), RGBColor(0xff, 0xa6, 0x57), RGBColor(0x56, 0xd3, 0x64), RGBColor(0xd2, 0xa8, 0xff)],
    },
];

const WIDTH: u32 = 620;
const ROW_HEIGHT: u32 = 34;
/// Text sizes as plotters takes them; it draws text at 1/1.24 of that, so these are 21, 19.4 and
/// 17.7 px in the SVG. The page shows the plot at its own width (620 px) or less: a phone's
/// column, 320 px wide on a 360 px screen, still shows the rows' labels 10 px high.
const TITLE: u32 = 26;
const LABEL: u32 = 24;
const SMALL: u32 = 22;

fn font<'a>(size: u32, color: &'a RGBColor) -> TextStyle<'a> {
    TextStyle::from((FontFamily::SansSerif, size).into_font()).color(color)
}

fn centered<'a>(size: u32, color: &'a RGBColor) -> TextStyle<'a> {
    font(size, color).pos(Pos::new(HPos::Center, VPos::Top))
}

/// Series `i`'s marker, a filled circle, square, triangle or diamond (the series differ in shape
/// as well as colour), as a polygon around (0, 0) moved by `dy`.
fn marker_points(i: usize, dy: i32) -> Vec<(i32, i32)> {
    let pts: Vec<(i32, i32)> = match i % 4 {
        0 => (0..16)
            .map(|k| {
                let a = f64::from(k) * std::f64::consts::PI / 8.0;
                ((6.5 * a.cos()).round() as i32, (6.5 * a.sin()).round() as i32)
            })
            .collect(),
        1 => vec![(-6, -6), (6, -6), (6, 6), (-6, 6)],
        2 => vec![(0, -7), (7, 6), (-7, 6)],
        _ => vec![(0, -8), (7, 0), (0, 8), (-7, 0)],
    };
    pts.into_iter().map(|(x, y)| (x, y + dy)).collect()
}

fn marker_style(i: usize, theme: &Theme) -> ShapeStyle {
    ShapeStyle { color: theme.series[i % theme.series.len()].to_rgba(), filled: true, stroke_width: 1 }
}

/// The plot as an SVG document. Deterministic: the same data give the same bytes.
pub fn render(spec: &PlotSpec, data: &Data, theme: &Theme) -> Result<String, String> {
    let n = data.labels.len() as u32;
    let panel_height = 44 + n * ROW_HEIGHT + 70;
    let header = 44 + if data.subtitle.is_some() { 28 } else { 0 } + 36;
    let height = header + panel_height * spec.panels.len() as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let e = |e: DrawingAreaErrorKind<std::io::Error>| format!("plotters: {e}");
        let mid = WIDTH as i32 / 2;
        root.draw(&Text::new(spec.title.clone(), (mid, 10), centered(TITLE, &theme.text))).map_err(e)?;
        let mut y = 46;
        if let Some(sub) = &data.subtitle {
            root.draw(&Text::new(sub.clone(), (mid, y), centered(SMALL, &theme.faint))).map_err(e)?;
            y += 28;
        }
        // The legend: a marker and a name per series, centred as one line (the width of a name
        // estimated as plotters estimates it, half its size per character).
        let widths: Vec<i32> = spec.series.iter().map(|s| 22 + (s.name.chars().count() as f64 * f64::from(SMALL) * 0.45) as i32 + 28).collect();
        let mut x = mid - widths.iter().sum::<i32>() / 2;
        for (i, s) in spec.series.iter().enumerate() {
            root.draw(&(EmptyElement::at((x + 7, y + 9)) + Polygon::new(marker_points(i, 0), marker_style(i, theme)))).map_err(e)?;
            root.draw(&Text::new(s.name.clone(), (x + 22, y), font(SMALL, &theme.text))).map_err(e)?;
            x += widths[i];
        }
        let (_, body) = root.split_vertically(header);
        for (p, panel) in spec.panels.iter().enumerate() {
            let top = p as i32 * panel_height as i32;
            let area = body.clone().shrink((0, top), (WIDTH, panel_height));
            draw_panel(&area, panel, &data.labels, &data.values[p], theme).map_err(e)?;
        }
        root.present().map_err(e)?;
    }
    Ok(svg)
}

/// Round, evenly spaced ticks covering `lo..=hi`: about five.
fn ticks(lo: f64, hi: f64) -> (f64, f64, Vec<f64>) {
    let span = (hi - lo).max(f64::MIN_POSITIVE);
    let raw = span / 5.0;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * mag).find(|s| span / s <= 6.0).unwrap_or(10.0 * mag);
    let (a, b) = ((lo / step).floor() * step, (hi / step).ceil() * step);
    let count = ((b - a) / step).round() as usize;
    (a, b, (0..=count).map(|k| a + k as f64 * step).collect())
}

/// A tick's label: 0.01, 0.1, 1, 10, 100, 1000, 10000 (no exponent, no trailing zeros).
fn tick_label(v: f64) -> String {
    let s = format!("{:.6}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.to_string() }
}

fn draw_panel(area: &DrawingArea<SVGBackend<'_>, Shift>, panel: &PanelSpec, labels: &[String], values: &[Vec<f64>], theme: &Theme) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let n = labels.len();
    // On a log axis the coordinate is the value's log10, and the ticks are powers of ten.
    let to_x = |v: f64| if panel.log { v.log10() } else { v };
    let xs: Vec<f64> = values.iter().flatten().map(|&v| to_x(v)).collect();
    let (min, max) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    let (lo, hi, tick_at) = if panel.log {
        // From the power of ten below the least value to the one above the greatest, and an
        // eighth of a decade beyond a value that is a power of ten, so that no marker sits on
        // the axis or the frame.
        let (a, b) = (min.floor().min(min - 0.125), max.ceil().max(min.floor() + 1.0).max(max + 0.125));
        (a, b, (a.ceil() as i32..=b.floor() as i32).map(f64::from).collect())
    } else {
        ticks(min.min(0.0), max)
    };
    // The widest label, at about 0.55 em per character of a sans-serif font, and the tick.
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as f64;
    let label_width = (longest * f64::from(LABEL) / 1.24 * 0.55) as u32 + 18;
    let mut chart = ChartBuilder::on(area)
        .caption(panel.title.clone(), font(LABEL, &theme.text).pos(Pos::new(HPos::Center, VPos::Top)))
        .margin_left(8)
        .margin_top(14)
        .margin_right(44)
        .x_label_area_size(52)
        .y_label_area_size(label_width)
        .build_cartesian_2d(lo..hi, (0..n - 1).into_segmented())?;
    let log = panel.log;
    let row_of = |i: usize| SegmentValue::CenterOf(n - 1 - i);
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_max_light_lines(0)
        .x_labels(tick_at.len())
        .bold_line_style(theme.grid)
        .axis_style(theme.faint)
        .x_desc(panel.axis.clone())
        .axis_desc_style(font(SMALL, &theme.faint))
        .x_label_style(font(SMALL, &theme.text))
        .y_label_style(font(LABEL, &theme.text))
        .x_label_formatter(&|x| tick_label(if log { 10f64.powf(*x) } else { *x }))
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(k) if *k < n => labels[n - 1 - k].clone(),
            _ => String::new(),
        })
        .draw()?;
    // A faint guide along each row, then each series' marker on it (the series a few pixels apart,
    // so that equal values stay visible).
    for i in 0..n {
        chart.draw_series(std::iter::once(PathElement::new(vec![(lo, row_of(i)), (hi, row_of(i))], theme.grid.stroke_width(1))))?;
    }
    let count = values.len() as i32;
    for (s, series) in values.iter().enumerate() {
        let dy = (2 * s as i32 - (count - 1)) * 4;
        let style = marker_style(s, theme);
        chart.draw_series(series.iter().enumerate().map(|(i, &v)| EmptyElement::at((to_x(v), row_of(i))) + Polygon::new(marker_points(s, dy), style)))?;
    }
    Ok(())
}

/// `src/plots/<listing folder>-<theme>.svg`, relative to the book's root.
pub fn svg_path(listing: &Listing, theme: &str) -> PathBuf {
    Path::new(DIR).join(format!("{}-{theme}.svg", listing.dir.file_name().unwrap().to_string_lossy()))
}

/// The HTML that shows a listing's plot, as theme/book.css swaps the pre-rendered diagrams (the
/// light SVG in light themes, the dark one in dark themes). `to_root` leads from the page to the
/// site's root (`../` per level); the table the listing prints is the text alternative.
pub fn figure_html(listing: &Listing, to_root: &str, alt: &str) -> String {
    let [light, dark] = ["light", "dark"].map(|t| svg_path(listing, t).strip_prefix("src").unwrap().display().to_string());
    format!(
        "<figure class=\"diagram plot\">\
         <img class=\"diagram-light\" src=\"{to_root}{light}\" alt=\"{alt}\">\
         <img class=\"diagram-dark\" src=\"{to_root}{dark}\" alt=\"{alt}\">\
         </figure>"
    )
}

/// Each variant's SVG as `listing`'s `[plot]` draws it from its committed samples.
pub fn draw_all(book: &Book, listing: &Listing, spec: &PlotSpec) -> Result<Vec<(PathBuf, String)>, String> {
    let data = read_data(spec, &book.abs(&listing.dir), &listing.dir)?;
    THEMES.iter().map(|t| Ok((svg_path(listing, t.name), render(spec, &data, t)?))).collect()
}

/// Draws `listing`'s plot from its samples into src/plots/; returns the files written.
pub fn write(book: &Book, listing: &Listing, spec: &PlotSpec) -> Result<Vec<PathBuf>, String> {
    let drawn = draw_all(book, listing, spec)?;
    std::fs::create_dir_all(book.abs(Path::new(DIR))).map_err(|e| format!("{DIR}: {e}"))?;
    for (path, svg) in &drawn {
        std::fs::write(book.abs(path), svg).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    Ok(drawn.into_iter().map(|(p, _)| p).collect())
}

/// The committed SVGs are what the listing's samples draw, and some chapter shows both. Cheap
/// (no program runs): the listing's test does it every time.
pub fn check(book: &Book, listing: &Listing, spec: &PlotSpec) -> Result<(), String> {
    let samples: Vec<&str> = spec.series.iter().map(|s| s.sample.as_str()).collect();
    let redraw = format!(
        "`cargo xtask plots` draws it from the committed {} (`cargo xtask bench {}` measures anew first); commit it",
        samples.join(" and "),
        listing.dir.file_name().unwrap().to_string_lossy()
    );
    for (path, svg) in draw_all(book, listing, spec)? {
        match std::fs::read_to_string(book.abs(&path)) {
            Err(_) => return Err(format!("{}: the plot of {} is missing; {redraw}", path.display(), listing.dir.display())),
            Ok(committed) if committed != svg => {
                return Err(format!(
                    "{}: differs from the plot that {}'s [plot] draws from {}, so the plot and the table the chapter shows disagree; {redraw}",
                    path.display(),
                    listing.dir.display(),
                    samples.join(" and ")
                ));
            }
            Ok(_) => {}
        }
        let src = path.strip_prefix("src").unwrap().display().to_string();
        if !book.chapters.iter().any(|c| c.text.contains(&src)) {
            return Err(format!(
                "{}: no chapter shows {}'s plot; put it after the listing's output with this HTML:\n{}",
                path.display(),
                listing.dir.display(),
                figure_html(listing, "", "…the figures in words…")
            ));
        }
    }
    Ok(())
}

/// SVGs in src/plots/ that no listing's `[plot]` draws, as problems.
pub fn check_orphans(book: &Book) -> Vec<String> {
    let mut wanted = Vec::new();
    for l in &book.listings {
        if let Ok(e) = book.expect(l) {
            if e.plot.is_some() {
                wanted.extend(THEMES.iter().map(|t| svg_path(l, t.name)));
            }
        }
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir(book.abs(Path::new(DIR)))
        .map(|rd| rd.flatten().map(|e| Path::new(DIR).join(e.file_name())).collect())
        .unwrap_or_default();
    found.retain(|p| !wanted.contains(p));
    found.sort();
    found
        .iter()
        .map(|p| format!("{}: no listing's [plot] draws this file (src/plots/ holds only plots of listings, <listing folder>-light.svg and -dark.svg); delete it", p.display()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const EXPECT: &str = r#"expect = "run"
tools = ["bench"]

[stdout]
match = "patterns"
patterns = ['^machine: .+$', '^(?:fast|slow) +\d+\.\d+$']

[plot]
title = "t"
row = '(?<label>fast|slow) +(?<rate>\d+\.\d+)'
subtitle = '^(machine: .+)$'
series = [{ sample = "output.txt", name = "all" }, { sample = "output-pinned.txt", name = "pinned" }]
[[plot.panels]]
value = "rate"
title = "Rate"
axis = "per second (log scale)"
log = true
"#;

    /// A book with one benchmark listing with a plot, shown by its chapter.
    fn book(tag: &str) -> PathBuf {
        let root = std::env::temp_dir().join(format!("plot-book-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        let dir = root.join("listings/ch01-x/listing-01-01");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(root.join("src")).unwrap();
        std::fs::write(root.join("book.toml"), "[book]\ntitle = \"t\"\n[rust]\nedition = \"2024\"\n").unwrap();
        std::fs::write(root.join("src/SUMMARY.md"), "# Summary\n\n- [One](ch01-00-one.md)\n").unwrap();
        let l = Listing { dir: "listings/ch01-x/listing-01-01".into(), name: "ch01-x/listing-01-01".into(), source: None };
        std::fs::write(root.join("src/ch01-00-one.md"), format!("# One\n\n{}\n", figure_html(&l, "", "the table above"))).unwrap();
        std::fs::write(dir.join("main.rs"), "fn main() {}\n").unwrap();
        std::fs::write(dir.join("expect.toml"), EXPECT).unwrap();
        std::fs::write(dir.join("output.txt"), "machine: test\nfast    12.50\nslow     0.25\n").unwrap();
        std::fs::write(dir.join("output-pinned.txt"), "machine: test, pinned\nfast     9.00\nslow     0.50\n").unwrap();
        root
    }

    fn check_of(root: &Path) -> Result<(), String> {
        let book = Book::load(root).unwrap();
        let l = &book.listings[0];
        check(&book, l, &book.expect(l).unwrap().plot.unwrap())
    }

    /// The plot drawn from the samples passes; once a figure of a sample changes, the committed
    /// SVG no longer matches, and the check names the SVG and the listing.
    #[test]
    fn a_stale_plot_is_rejected() {
        let root = book("stale");
        let err = check_of(&root).unwrap_err();
        assert!(err.starts_with("src/plots/listing-01-01-light.svg: the plot of listings/ch01-x/listing-01-01 is missing"), "{err}");
        let book = Book::load(&root).unwrap();
        let l = &book.listings[0];
        let written = write(&book, l, &book.expect(l).unwrap().plot.unwrap()).unwrap();
        assert_eq!(written, vec![PathBuf::from("src/plots/listing-01-01-light.svg"), PathBuf::from("src/plots/listing-01-01-dark.svg")]);
        assert_eq!(check_of(&root), Ok(()));
        let svg = std::fs::read_to_string(root.join(&written[0])).unwrap();
        assert!(svg.contains("machine: test") && svg.contains("per second (log scale)") && svg.contains(">\nslow\n<"), "{svg}");
        assert!(check_orphans(&book).is_empty());

        let sample = root.join("listings/ch01-x/listing-01-01/output.txt");
        std::fs::write(&sample, "machine: test\nfast    12.50\nslow     0.30\n").unwrap();
        let err = check_of(&root).unwrap_err();
        assert!(
            err.starts_with("src/plots/listing-01-01-light.svg: differs from the plot that listings/ch01-x/listing-01-01's [plot] draws from output.txt and output-pinned.txt"),
            "{err}"
        );
        assert!(err.contains("`cargo xtask plots`"), "{err}");
        let _ = std::fs::remove_dir_all(&root);
    }

    /// Drawing is deterministic, and the two variants differ only in colour.
    #[test]
    fn the_same_samples_draw_the_same_bytes() {
        let root = book("same");
        let book = Book::load(&root).unwrap();
        let l = &book.listings[0];
        let spec = book.expect(l).unwrap().plot.unwrap();
        let a = draw_all(&book, l, &spec).unwrap();
        assert_eq!(a, draw_all(&book, l, &spec).unwrap());
        let strip = |s: &str| Regex::new("#[0-9A-F]{6}").unwrap().replace_all(s, "").into_owned();
        assert_eq!(strip(&a[0].1), strip(&a[1].1));
        assert_ne!(a[0].1, a[1].1);
        let _ = std::fs::remove_dir_all(&root);
    }

    /// A plot no chapter shows, samples whose rows differ, and an SVG no listing draws are each
    /// named.
    #[test]
    fn unshown_plots_mismatched_samples_and_orphans_are_named() {
        let root = book("unshown");
        let book_now = Book::load(&root).unwrap();
        let l = &book_now.listings[0];
        write(&book_now, l, &book_now.expect(l).unwrap().plot.unwrap()).unwrap();
        std::fs::write(root.join("src/ch01-00-one.md"), "# One\n").unwrap();
        let err = check_of(&root).unwrap_err();
        assert!(err.starts_with("src/plots/listing-01-01-light.svg: no chapter shows listings/ch01-x/listing-01-01's plot"), "{err}");
        std::fs::write(root.join("src/plots/listing-01-02-dark.svg"), "<svg/>").unwrap();
        let orphans = check_orphans(&Book::load(&root).unwrap());
        assert_eq!(orphans.len(), 1);
        assert!(orphans[0].starts_with("src/plots/listing-01-02-dark.svg: no listing's [plot] draws this file"), "{orphans:?}");
        std::fs::write(root.join("listings/ch01-x/listing-01-01/output-pinned.txt"), "machine: m\nfast 1.00\n").unwrap();
        let err = check_of(&root).unwrap_err();
        assert!(err.starts_with("listings/ch01-x/listing-01-01/output-pinned.txt: its rows (fast) are not those of output.txt (fast, slow)"), "{err}");
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_plot_needs_the_bench_tool_and_named_groups() {
        let e = crate::contract::Expect::parse(&EXPECT.replace("tools = [\"bench\"]\n", "")).unwrap_err();
        assert!(e.contains("[plot] draws a benchmark's figures"), "{e}");
        let e = crate::contract::Expect::parse(&EXPECT.replace("value = \"rate\"", "value = \"speed\"")).unwrap_err();
        assert!(e.contains("its value \"speed\" is not a named group of row (label, rate)"), "{e}");
        let e = crate::contract::Expect::parse(&EXPECT.replace("(?<label>", "(")).unwrap_err();
        assert!(e.contains("no group `label`"), "{e}");
    }
}
