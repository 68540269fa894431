//! The Sigma `condition` language subset: `and`, `or`, `not`, parentheses, selection names
//! (with `*` wildcards), `1 of <pattern>`, `any of`, `all of <pattern>`, `them`.

/// A parsed condition.
#[derive(Debug, Clone, PartialEq)]
pub enum Cond {
    /// A named selection.
    Sel(String),
    /// At least one of the selections matching the pattern.
    AnyOf(String),
    /// All of the selections matching the pattern.
    AllOf(String),
    /// Negation.
    Not(Box<Cond>),
    /// Conjunction.
    And(Vec<Cond>),
    /// Disjunction.
    Or(Vec<Cond>),
}

fn tokenize(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        match c {
            '(' | ')' => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                out.push(c.to_string());
            }
            c if c.is_whitespace() => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            c => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

struct Parser {
    toks: Vec<String>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&str> {
        self.toks.get(self.pos).map(String::as_str)
    }

    fn next(&mut self) -> Option<String> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn or(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.and()?];
        while self.peek().is_some_and(|t| t.eq_ignore_ascii_case("or")) {
            self.pos += 1;
            v.push(self.and()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Cond::Or(v)
        })
    }

    fn and(&mut self) -> Result<Cond, String> {
        let mut v = vec![self.not()?];
        while self.peek().is_some_and(|t| t.eq_ignore_ascii_case("and")) {
            self.pos += 1;
            v.push(self.not()?);
        }
        Ok(if v.len() == 1 {
            v.remove(0)
        } else {
            Cond::And(v)
        })
    }

    fn not(&mut self) -> Result<Cond, String> {
        if self.peek().is_some_and(|t| t.eq_ignore_ascii_case("not")) {
            self.pos += 1;
            return Ok(Cond::Not(Box::new(self.not()?)));
        }
        self.primary()
    }

    fn primary(&mut self) -> Result<Cond, String> {
        let t = self.next().ok_or("condition ends too early")?;
        if t == "(" {
            let c = self.or()?;
            if self.next().as_deref() != Some(")") {
                return Err("missing `)` in condition".into());
            }
            return Ok(c);
        }
        let quant = t.to_ascii_lowercase();
        if (quant == "1" || quant == "any" || quant == "all")
            && self.peek().is_some_and(|p| p.eq_ignore_ascii_case("of"))
        {
            self.pos += 1;
            let pat = self
                .next()
                .ok_or("`of` needs a selection pattern or `them`")?;
            return Ok(if quant == "all" {
                Cond::AllOf(pat)
            } else {
                Cond::AnyOf(pat)
            });
        }
        if ["and", "or", "not", ")", "|"].contains(&quant.as_str()) {
            return Err(format!("unexpected `{t}` in condition"));
        }
        Ok(Cond::Sel(t))
    }
}

/// Parses a condition string.
pub fn parse(s: &str) -> Result<Cond, String> {
    if s.contains('|') {
        return Err("aggregation conditions (`| count()`) are not supported".into());
    }
    let mut p = Parser {
        toks: tokenize(s),
        pos: 0,
    };
    let c = p.or()?;
    if p.pos != p.toks.len() {
        return Err(format!(
            "trailing `{}` in condition",
            p.toks[p.pos..].join(" ")
        ));
    }
    Ok(c)
}

/// True when `name` matches a selection pattern (`them` = all, `*` wildcard).
pub fn pattern_matches(pattern: &str, name: &str) -> bool {
    if pattern == "them" {
        return true;
    }
    match pattern.split_once('*') {
        None => pattern == name,
        Some((pre, post)) => {
            name.len() >= pre.len() + post.len() && name.starts_with(pre) && name.ends_with(post)
        }
    }
}

/// Evaluates `c` given a lookup of selection results by name.
pub fn eval(c: &Cond, names: &[String], sel: &dyn Fn(&str) -> bool) -> bool {
    match c {
        Cond::Sel(n) => sel(n),
        Cond::AnyOf(p) => names
            .iter()
            .filter(|n| pattern_matches(p, n))
            .any(|n| sel(n)),
        Cond::AllOf(p) => {
            let mut it = names.iter().filter(|n| pattern_matches(p, n)).peekable();
            it.peek().is_some() && it.all(|n| sel(n))
        }
        Cond::Not(x) => !eval(x, names, sel),
        Cond::And(v) => v.iter().all(|x| eval(x, names, sel)),
        Cond::Or(v) => v.iter().any(|x| eval(x, names, sel)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_and_quantifiers() {
        let c = parse("selection and not (filter_a or filter_b)").expect("parse");
        let names = vec![
            "selection".to_string(),
            "filter_a".to_string(),
            "filter_b".to_string(),
        ];
        assert!(eval(&c, &names, &|n| n == "selection"));
        assert!(!eval(&c, &names, &|n| n == "selection" || n == "filter_b"));
        let c = parse("1 of selection_* and not filter").expect("parse");
        let names = vec![
            "selection_a".to_string(),
            "selection_b".to_string(),
            "filter".to_string(),
        ];
        assert!(eval(&c, &names, &|n| n == "selection_b"));
        let c = parse("all of selection_*").expect("parse");
        assert!(!eval(&c, &names, &|n| n == "selection_b"));
        assert!(eval(&c, &names, &|n| n.starts_with("selection")));
        assert!(parse("selection | count() > 5").is_err());
        assert!(parse("selection and").is_err());
        assert!(parse("(selection").is_err());
    }
}
