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
    /// How the rows are drawn: `"dots"` (the default) gives each table row a row of the panel,
    /// with a marker per series on it; `"lines"` is for a table whose rows are the points of a
    /// few curves (a counter at 1, 2 and 4 threads): the rows with the same label are one line
    /// across the categories of `x`, and each panel is drawn once per series, stacked, its charts
    /// sharing one value axis so that they compare at a glance.
    #[serde(default)]
    pub kind: Kind,
    /// lines: the named group of `row` whose values are the horizontal axis's categories, evenly
    /// spaced in the order they first appear in the first series' sample.
    pub x: Option<String>,
    /// lines: the horizontal axis's label.
    pub x_axis: Option<String>,
}

/// `[plot] kind`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    #[default]
    Dots,
    Lines,
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
        match self.kind {
            Kind::Dots if self.x.is_some() || self.x_axis.is_some() => {
                return Err("[plot] x and x_axis are for kind = \"lines\"; a dots plot has a row per table row".into());
            }
            Kind::Dots => {}
            Kind::Lines => {
                let x = self.x.as_deref().ok_or("[plot] kind = \"lines\" needs x: the named group of row whose values are the horizontal axis's categories")?;
                if x == "label" || !groups.contains(&x) || self.panels.iter().any(|p| p.value == x) {
                    return Err(format!("[plot] x {x:?} is not a named group of row besides label and the panels' values ({})", groups.join(", ")));
                }
                if self.x_axis.is_none() {
                    return Err("[plot] kind = \"lines\" needs x_axis: the horizontal axis's label".into());
                }
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

/// What the samples say: the rows' labels (and, for lines, their `x` categories) and, per
/// panel, per series, per row, the value.
#[derive(Debug, Clone, PartialEq)]
pub struct Data {
    pub subtitle: Option<String>,
    pub labels: Vec<String>,
    /// lines: each row's value of `x` (empty for dots).
    pub xs: Vec<String>,
    pub values: Vec<Vec<Vec<f64>>>,
}

/// Reads the samples of `dir` (the listing's folder, `shown` is how messages name it) as `spec`
/// says. Every sample must have the same rows, in the same order.
pub fn read_data(spec: &PlotSpec, dir: &Path, shown: &Path) -> Result<Data, String> {
    spec.validate()?;
    let row = Regex::new(&format!("^(?:{})$", spec.row)).unwrap();
    let mut labels: Option<Vec<String>> = None;
    let mut xs = Vec::new();
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
        let mut these_xs: Vec<String> = Vec::new();
        let mut per_panel = vec![Vec::new(); spec.panels.len()];
        for (n, line) in text.lines().enumerate() {
            let Some(c) = row.captures(line) else { continue };
            these.push(c["label"].trim().to_string());
            if let Some(x) = &spec.x {
                these_xs.push(c.name(x).map_or("", |m| m.as_str()).trim().to_string());
                let (l, x) = (these.last().unwrap(), these_xs.last().unwrap());
                if these.iter().zip(&these_xs).filter(|&(a, b)| a == l && b == x).count() > 1 {
                    return Err(format!("{}:{}: a second row {l:?} at {} = {x:?}; a line has one point per category", at.display(), n + 1, spec.x.as_deref().unwrap()));
                }
            }
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
        let named = |labels: &[String], xs: &[String]| -> String {
            if xs.is_empty() { labels.join(", ") } else { labels.iter().zip(xs).map(|(l, x)| format!("{l} {x}")).collect::<Vec<_>>().join(", ") }
        };
        match &labels {
            None => {
                labels = Some(these);
                xs = these_xs;
            }
            Some(first) if *first != these || xs != these_xs => {
                return Err(format!(
                    "{}: its rows ({}) are not those of {} ({}); every sample of a plot has the same rows",
                    at.display(),
                    named(&these, &these_xs),
                    spec.series[0].sample,
                    named(first, &xs)
                ));
            }
            Some(_) => {}
        }
        for (p, v) in per_panel.into_iter().enumerate() {
            values[p].push(v);
        }
    }
    Ok(Data { subtitle, labels: labels.unwrap(), xs, values })
}

/// The colours of one variant. The background is left transparent: the page's shows through.
pub struct Theme {
    pub name: &'static str,
    text: RGBColor,
    faint: RGBColor,
    grid: RGBColor,
    series: [RGBColor; 6],
}

/// The two variants: light themes (light, rust) and dark ones (coal, navy, ayu). Every colour
/// has at least 4.5:1 contrast on the themes' backgrounds.
pub const THEMES: [Theme; 2] = [
    Theme {
        name: "light",
        text: RGBColor(0x1f, 0x23, 0x28),
        faint: RGBColor(0x4d, 0x55, 0x5e),
        grid: RGBColor(0xc8, 0xcf, 0xd6),
        series: [RGBColor(0x0b, 0x5c, 0xad), RGBColor(0xb3, 0x3f, 0x00), RGBColor(0x1a, 0x7f, 0x37), RGBColor(0x82, 0x50, 0xdf), RGBColor(0xa4, 0x16, 0x5a), RGBColor(0x00, 0x6d, 0x75)],
    },
    Theme {
        name: "dark",
        text: RGBColor(0xe6, 0xed, 0xf3),
        faint: RGBColor(0xb0, 0xb8, 0xc1),
        grid: RGBColor(0x44, 0x4c, 0x56),
        series: [RGBColor(0x6c, 0xb6, 0xff), RGBColor(0xff, 0xa6, 0x57), RGBColor(0x56, 0xd3, 0x64), RGBColor(0xd2, 0xa8, 0xff), RGBColor(0xff, 0x7e, 0xb6), RGBColor(0x39, 0xd0, 0xd8)],
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

/// Series `i`'s marker, a filled circle, square, triangle, diamond, downward triangle or cross
/// (the series differ in shape as well as colour), as a polygon around (0, 0) moved by `dy`.
fn marker_points(i: usize, dy: i32) -> Vec<(i32, i32)> {
    let pts: Vec<(i32, i32)> = match i % 6 {
        0 => (0..16)
            .map(|k| {
                let a = f64::from(k) * std::f64::consts::PI / 8.0;
                ((6.5 * a.cos()).round() as i32, (6.5 * a.sin()).round() as i32)
            })
            .collect(),
        1 => vec![(-6, -6), (6, -6), (6, 6), (-6, 6)],
        2 => vec![(0, -7), (7, 6), (-7, 6)],
        3 => vec![(0, -8), (7, 0), (0, 8), (-7, 0)],
        4 => vec![(0, 7), (7, -6), (-7, -6)],
        _ => vec![(-2, -7), (2, -7), (2, -2), (7, -2), (7, 2), (2, 2), (2, 7), (-2, 7), (-2, 2), (-7, 2), (-7, -2), (-2, -2)],
    };
    pts.into_iter().map(|(x, y)| (x, y + dy)).collect()
}

fn marker_style(i: usize, theme: &Theme) -> ShapeStyle {
    ShapeStyle { color: theme.series[i % theme.series.len()].to_rgba(), filled: true, stroke_width: 1 }
}

/// The plot as an SVG document. Deterministic: the same data give the same bytes.
pub fn render(spec: &PlotSpec, data: &Data, theme: &Theme) -> Result<String, String> {
    if spec.kind == Kind::Lines {
        return render_lines(spec, data, theme);
    }
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

/// The value axis of a panel's `values`: its ends and its ticks, in the coordinate drawn (a log
/// axis's is the value's log10, and its ticks are powers of ten).
fn value_axis(values: &[Vec<f64>], log: bool) -> (f64, f64, Vec<f64>) {
    let to_x = |v: f64| if log { v.log10() } else { v };
    let xs: Vec<f64> = values.iter().flatten().map(|&v| to_x(v)).collect();
    let (min, max) = xs.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| (a.min(x), b.max(x)));
    if log {
        // From the power of ten below the least value to the one above the greatest, and an
        // eighth of a decade beyond a value that is a power of ten, so that no marker sits on
        // the axis or the frame.
        let (a, b) = (min.floor().min(min - 0.125), max.ceil().max(min.floor() + 1.0).max(max + 0.125));
        (a, b, (a.ceil() as i32..=b.floor() as i32).map(f64::from).collect())
    } else {
        ticks(min.min(0.0), max)
    }
}

/// Each distinct string of `items`, in the order of first appearance.
fn distinct(items: &[String]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for i in items {
        if !out.contains(&i.as_str()) {
            out.push(i);
        }
    }
    out
}

const CHART_HEIGHT: u32 = 300;

/// A lines plot: a legend of the lines (one per label), then per panel its title, its axis's
/// label and one chart per series, the charts of a panel on the same value axis.
fn render_lines(spec: &PlotSpec, data: &Data, theme: &Theme) -> Result<String, String> {
    let names = distinct(&data.labels);
    let cats = distinct(&data.xs);
    // The legend's entries (a stroke with the line's marker, and its name; a name's width
    // estimated as plotters estimates it, half its size per character), wrapped into rows.
    let width_of = |name: &str| 36 + (name.chars().count() as f64 * f64::from(SMALL) * 0.45) as i32 + 24;
    let mut legend: Vec<Vec<usize>> = vec![Vec::new()];
    let mut used = 0;
    for (i, name) in names.iter().enumerate() {
        let w = width_of(name);
        if used + w > WIDTH as i32 - 24 && !legend.last().unwrap().is_empty() {
            legend.push(Vec::new());
            used = 0;
        }
        legend.last_mut().unwrap().push(i);
        used += w;
    }
    let panel_head = 58;
    let header = 44 + if data.subtitle.is_some() { 28 } else { 0 } + 30 * legend.len() as u32 + 8;
    let panel_height = panel_head + CHART_HEIGHT * spec.series.len() as u32;
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
        for entries in &legend {
            let mut x = mid - entries.iter().map(|&i| width_of(names[i])).sum::<i32>() / 2;
            for &i in entries {
                let color = theme.series[i % theme.series.len()];
                root.draw(&PathElement::new(vec![(x, y + 9), (x + 28, y + 9)], color.stroke_width(2))).map_err(e)?;
                root.draw(&(EmptyElement::at((x + 14, y + 9)) + Polygon::new(marker_points(i, 0), marker_style(i, theme)))).map_err(e)?;
                root.draw(&Text::new(names[i].to_string(), (x + 36, y), font(SMALL, &theme.text))).map_err(e)?;
                x += width_of(names[i]);
            }
            y += 30;
        }
        let (_, body) = root.split_vertically(header);
        for (p, panel) in spec.panels.iter().enumerate() {
            let top = p as i32 * panel_height as i32;
            let area = body.clone().shrink((0, top), (WIDTH, panel_height));
            area.draw(&Text::new(panel.title.clone(), (mid, 6), centered(LABEL, &theme.text))).map_err(e)?;
            area.draw(&Text::new(panel.axis.clone(), (mid, 34), centered(SMALL, &theme.faint))).map_err(e)?;
            let axis = value_axis(&data.values[p], panel.log);
            for (s, series) in spec.series.iter().enumerate() {
                let chart = area.clone().shrink((0, panel_head as i32 + s as i32 * CHART_HEIGHT as i32), (WIDTH, CHART_HEIGHT));
                // Each line's points, in the order of the categories.
                let lines: Vec<Vec<(usize, f64)>> = (0..names.len())
                    .map(|l| {
                        let mut pts: Vec<(usize, f64)> = (0..data.labels.len())
                            .filter(|&r| data.labels[r] == names[l])
                            .map(|r| (cats.iter().position(|c| *c == data.xs[r]).unwrap(), data.values[p][s][r]))
                            .collect();
                        pts.sort_by_key(|&(c, _)| c);
                        pts
                    })
                    .collect();
                draw_lines(&chart, &series.name, panel.log, spec.x_axis.as_deref().unwrap_or(""), &cats, &lines, &axis, theme).map_err(e)?;
            }
        }
        root.present().map_err(e)?;
    }
    Ok(svg)
}

#[allow(clippy::too_many_arguments)]
fn draw_lines(
    area: &DrawingArea<SVGBackend<'_>, Shift>,
    caption: &str,
    log: bool,
    x_axis: &str,
    cats: &[&str],
    lines: &[Vec<(usize, f64)>],
    (lo, hi, tick_at): &(f64, f64, Vec<f64>),
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let k = cats.len();
    let to_y = |v: f64| if log { v.log10() } else { v };
    let label_of = |y: f64| tick_label(if log { 10f64.powf(y) } else { y });
    let longest = tick_at.iter().map(|&t| label_of(t).chars().count()).max().unwrap_or(1) as f64;
    let label_width = (longest * f64::from(SMALL) / 1.24 * 0.6) as u32 + 16;
    let mut chart = ChartBuilder::on(area)
        .caption(caption.to_string(), font(LABEL, &theme.text).pos(Pos::new(HPos::Center, VPos::Top)))
        .margin_left(8)
        .margin_top(10)
        .margin_right(24)
        .x_label_area_size(56)
        .y_label_area_size(label_width)
        .build_cartesian_2d((0..k as i32 - 1).into_segmented(), *lo..*hi)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_max_light_lines(0)
        .y_labels(tick_at.len())
        .bold_line_style(theme.grid)
        .axis_style(theme.faint)
        .x_desc(x_axis.to_string())
        .axis_desc_style(font(SMALL, &theme.faint))
        .x_label_style(font(LABEL, &theme.text))
        .y_label_style(font(SMALL, &theme.text))
        .x_labels(k)
        .x_label_formatter(&|v| match v {
            SegmentValue::CenterOf(c) if (*c as usize) < k => cats[*c as usize].to_string(),
            _ => String::new(),
        })
        .y_label_formatter(&|y| label_of(*y))
        .draw()?;
    for (l, pts) in lines.iter().enumerate() {
        let color = theme.series[l % theme.series.len()];
        let at = |&(c, v): &(usize, f64)| (SegmentValue::CenterOf(c as i32), to_y(v));
        chart.draw_series(std::iter::once(PathElement::new(pts.iter().map(at).collect::<Vec<_>>(), color.stroke_width(2))))?;
        let style = marker_style(l, theme);
        chart.draw_series(pts.iter().map(|p| EmptyElement::at(at(p)) + Polygon::new(marker_points(l, 0), style)))?;
    }
    Ok(())
}

fn draw_panel(area: &DrawingArea<SVGBackend<'_>, Shift>, panel: &PanelSpec, labels: &[String], values: &[Vec<f64>], theme: &Theme) -> Result<(), DrawingAreaErrorKind<std::io::Error>> {
    let n = labels.len();
    // On a log axis the coordinate is the value's log10, and the ticks are powers of ten.
    let to_x = |v: f64| if panel.log { v.log10() } else { v };
    let (lo, hi, tick_at) = value_axis(values, panel.log);
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
        book_with(tag, EXPECT, "machine: test\nfast    12.50\nslow     0.25\n", "machine: test, pinned\nfast     9.00\nslow     0.50\n")
    }

    fn book_with(tag: &str, expect: &str, output: &str, pinned: &str) -> PathBuf {
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
        std::fs::write(dir.join("expect.toml"), expect).unwrap();
        std::fs::write(dir.join("output.txt"), output).unwrap();
        std::fs::write(dir.join("output-pinned.txt"), pinned).unwrap();
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

    const LINES: &str = r#"expect = "run"
tools = ["bench"]

[stdout]
match = "patterns"
patterns = ['^machine: .+$', '^(?:lock|atomic) +[124] +\d+\.\d+$']

[plot]
kind = "lines"
title = "t"
row = '(?<label>lock|atomic) +(?<threads>\d+) +(?<rate>\d+\.\d+)'
x = "threads"
x_axis = "threads"
subtitle = '^(machine: .+)$'
series = [{ sample = "output.txt", name = "all CPUs" }, { sample = "output-pinned.txt", name = "pinned" }]
[[plot.panels]]
value = "rate"
title = "Rate"
axis = "per second (log scale)"
log = true
"#;

    const LINES_OUT: &str = "machine: test\nlock 1 50.0\nlock 2 20.0\nlock 4 10.0\natomic 1 200.0\natomic 2 100.0\natomic 4 90.0\n";

    /// A lines plot: one line per label across the categories of `x` (in the order they first
    /// appear), a chart per series, and the legend names the lines; deterministic, and the two
    /// variants differ only in colour.
    #[test]
    fn a_lines_plot_draws_a_line_per_label_and_a_chart_per_series() {
        let root = book_with("lines", LINES, LINES_OUT, &LINES_OUT.replace("machine: test", "machine: pinned").replace("20.0", "45.0"));
        let book = Book::load(&root).unwrap();
        let l = &book.listings[0];
        let spec = book.expect(l).unwrap().plot.unwrap();
        assert_eq!(spec.kind, Kind::Lines);
        let data = read_data(&spec, &root.join(&l.dir), &l.dir).unwrap();
        assert_eq!(data.labels, ["lock", "lock", "lock", "atomic", "atomic", "atomic"]);
        assert_eq!(data.xs, ["1", "2", "4", "1", "2", "4"]);
        assert_eq!(data.values, vec![vec![vec![50.0, 20.0, 10.0, 200.0, 100.0, 90.0], vec![50.0, 45.0, 10.0, 200.0, 100.0, 90.0]]]);
        write(&book, l, &spec).unwrap();
        assert_eq!(check_of(&root), Ok(()));
        let a = draw_all(&book, l, &spec).unwrap();
        assert_eq!(a, draw_all(&book, l, &spec).unwrap());
        let svg = &a[0].1;
        for text in ["machine: test", ">\nlock\n<", ">\natomic\n<", ">\nall CPUs\n<", ">\npinned\n<", ">\nthreads\n<", ">\n4\n<", "per second (log scale)"] {
            assert!(svg.contains(text), "{text:?} missing from {svg}");
        }
        // Each line is one stroke per chart (two charts) plus one in the legend.
        let strokes = |color: &str| svg.matches(&format!("<polyline fill=\"none\" opacity=\"1\" stroke=\"{color}\" stroke-width=\"2\"")).count();
        assert_eq!((strokes("#0B5CAD"), strokes("#B33F00")), (3, 3), "{svg}");
        let strip = |s: &str| Regex::new("#[0-9A-F]{6}").unwrap().replace_all(s, "").into_owned();
        assert_eq!(strip(&a[0].1), strip(&a[1].1));
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn a_lines_plot_needs_x_and_one_point_per_category() {
        let parse = |t: &str| crate::contract::Expect::parse(t).unwrap_err();
        let e = parse(&LINES.replace("x = \"threads\"\n", ""));
        assert!(e.contains("kind = \"lines\" needs x"), "{e}");
        let e = parse(&LINES.replace("x = \"threads\"", "x = \"rate\""));
        assert!(e.contains("[plot] x \"rate\" is not a named group of row besides label and the panels' values (label, threads, rate)"), "{e}");
        let e = parse(&LINES.replace("x_axis = \"threads\"\n", ""));
        assert!(e.contains("needs x_axis"), "{e}");
        let e = parse(&EXPECT.replace("[plot]\n", "[plot]\nx = \"rate\"\n"));
        assert!(e.contains("x and x_axis are for kind = \"lines\""), "{e}");

        let root = book_with("lines-dup", LINES, &LINES_OUT.replace("lock 2", "lock 1"), LINES_OUT);
        let err = check_of(&root).unwrap_err();
        assert!(err.starts_with("listings/ch01-x/listing-01-01/output.txt:3: a second row \"lock\" at threads = \"1\""), "{err}");
        let root2 = book_with("lines-rows", LINES, LINES_OUT, &LINES_OUT.replace("lock 4", "lock 8"));
        let err = check_of(&root2).unwrap_err();
        assert!(err.contains("its rows (lock 1, lock 2, lock 8, atomic 1"), "{err}");
        let _ = std::fs::remove_dir_all(&root);
        let _ = std::fs::remove_dir_all(&root2);
    }
}
