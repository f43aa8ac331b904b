//! Sizes as the generators take them on the command line: `512`, `64K`,
//! `100M`, `1G` (binary multiples).

/// Parses a size with an optional `K`, `M` or `G` suffix.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let v = text.trim();
    let (num, mult) = match v.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&v[..v.len() - 1], 1u64 << 10),
        Some('M') => (&v[..v.len() - 1], 1 << 20),
        Some('G') => (&v[..v.len() - 1], 1 << 30),
        _ => (v, 1),
    };
    num.parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .ok_or_else(|| format!("not a size: `{text}` (write bytes, or a number with K, M or G)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_with_and_without_a_suffix() {
        assert_eq!(parse_size("512"), Ok(512));
        assert_eq!(parse_size("64k"), Ok(64 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert!(parse_size("G").is_err());
        assert!(parse_size("ten").is_err());
        assert!(parse_size("99999999999G").is_err());
    }
}
