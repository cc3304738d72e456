use super::*;

#[test]
fn percentages_round_half_away_from_zero() {
    assert_eq!(percent(1, 8), "13%");
    assert_eq!(percent(3, 8), "38%");
    assert_eq!(percent(1, 3), "33%");
    assert_eq!(percent(2, 3), "67%");
    assert_eq!(percent(0, 5), "0%");
    assert_eq!(percent(5, 5), "100%");
    assert_eq!(percent(1, 0), "—");
}

#[test]
fn days_keep_one_decimal_only_when_needed() {
    assert_eq!(days(55.0), "55");
    assert_eq!(days(6.5), "6.5");
    assert_eq!(days(0.25), "0.3");
}

#[test]
fn median_of_even_and_odd_counts() {
    assert_eq!(median(&[]), None);
    assert_eq!(median(&[5]), Some(5.0));
    assert_eq!(median(&[1, 3, 10]), Some(3.0));
    assert_eq!(median(&[1, 3, 10, 20]), Some(6.5));
}

#[test]
fn a_cut_table_says_how_many_of_how_many_and_by_what() {
    let keys = [5, 1, 4, 1, 3, 9, 2];
    let cut = Cut::top(keys.len(), 3, 2, "rows", "smallest key", |i| (keys[i], i));
    assert_eq!(cut.shown, vec![1, 3]);
    assert_eq!(
        cut.note("`x.csv`").as_deref(),
        Some("The first 2 of 7 rows, by smallest key; `x.csv` holds every row.")
    );
    let whole = Cut::top(keys.len(), 10, 2, "rows", "smallest key", |i| (keys[i], i));
    assert_eq!(whole.shown, (0..7).collect::<Vec<_>>());
    assert_eq!(whole.note("`x.csv`"), None);
}

#[test]
fn top_n_picks_the_smallest_keys_in_key_order() {
    let keys = [5, 1, 4, 1, 3, 9, 2];
    // Ties broken by index, as callers break them by id.
    assert_eq!(
        select::top_n(keys.len(), 3, |i| (keys[i], i)),
        vec![1, 3, 6]
    );
    assert_eq!(
        select::top_n(keys.len(), 0, |i| (keys[i], i)),
        Vec::<usize>::new()
    );
    assert_eq!(select::top_n(3, 10, std::cmp::Reverse), vec![2, 1, 0]);
    assert_eq!(select::top_n(0, 5, |i| i), Vec::<usize>::new());
}
