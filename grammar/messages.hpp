// What a parse error says, per grammar rule: the message reported when a `must<Rule>` in
// grammar/kaohe.hpp fails, in the words of a policy author rather than the grammar's.
// Every rule that appears inside `must<>` has one; the parser's control class checks this at
// compile time.
#pragma once

#include "grammar/kaohe.hpp"

namespace kaohe::grammar {

template <typename Rule>
inline constexpr const char* message = nullptr;

#define KAOHE_MESSAGE(rule, text) \
    template <>                   \
    inline constexpr const char* message<rule> = text;

// Lexical
KAOHE_MESSAGE(string_close, "unterminated string: expected a closing `\"` on the same line")
KAOHE_MESSAGE(escape_char,
              "unknown escape in a quoted text: the escapes are `\\\"`, `\\\\`, `\\n` and `\\t`; a path uses `/` "
              "(`roles/chair.kh`)")
KAOHE_MESSAGE(quoted, "expected a text in quotes")
KAOHE_MESSAGE(name, "expected a name (letters, digits and `_`, not starting with a digit)")
KAOHE_MESSAGE(label, "expected a label in quotes, such as \"集体学习\"")
KAOHE_MESSAGE(number, "expected a number")
KAOHE_MESSAGE(number_exponent,
              "a number in a rule file is written out in full, without an exponent: `1` for `1e0`, `2500` for "
              "`2.5e3`, `0.05` for `5e-2`")
KAOHE_MESSAGE(signed_number, "expected a number")
KAOHE_MESSAGE(integer, "expected a whole number, without quotes, as in `year 2022` or `round 2`")
KAOHE_MESSAGE(lbrace, "expected `{`")
KAOHE_MESSAGE(rbrace, "expected `}` or another item of this block")
KAOHE_MESSAGE(clause_close,
              "expected `}` or another rule: a clause holds only rules, `deduct ...` or `add ...`, one after "
              "another without commas (sections and clauses cannot stand inside a clause)")
KAOHE_MESSAGE(section_close,
              "expected `}`, a `section` or a `clause`: a section holds sections and clauses, and rules "
              "(`deduct ...`, `add ...`) go inside a clause")
KAOHE_MESSAGE(role_close,
              "expected `}` or a section: a role holds sections (`section ID \"LABEL\" POINTS { ... }`), and "
              "clauses go inside those sections")
KAOHE_MESSAGE(attribute_values_close, "expected `}` or another value of the attribute, `NAME \"LABEL\"`")
KAOHE_MESSAGE(event_attributes_close, "expected `}` or the name of another attribute of the event")
KAOHE_MESSAGE(table_close, "expected `}` or another entry of the table, `VALUE: POINTS`")
KAOHE_MESSAGE(grades_close, "expected `}` or another grade band, `\"NAME\" >= N` or `\"NAME\" otherwise`")
KAOHE_MESSAGE(test_measures_close, "expected `}` or another measure's value, `NAME: N`")
KAOHE_MESSAGE(measure_given, "expected the measure's value: a number, as in `weeks: 20`, or a label of its scale, as in `rating: 良好`")
KAOHE_MESSAGE(event_list_close,
              "expected `}`, or `,` and another event: `TYPE` followed by any of `date \"2022-03-14\"`, "
              "`amount N`, `count N`, `note \"TEXT\"` and `ATTRIBUTE VALUE`")
KAOHE_MESSAGE(test_close,
              "expected `}` or another item of the test: `role`, `groups`, `year`, `id`, `measures`, `events`, "
              "`unit`, `record` or `expect`")
KAOHE_MESSAGE(lparen, "expected `(`")
KAOHE_MESSAGE(rparen, "expected `)`")
KAOHE_MESSAGE(colon, "expected `:` between the name and its number, as in `unit: 1`")
KAOHE_MESSAGE(dotdot, "expected `..` between the two ends of the range, as in 3..5")
KAOHE_MESSAGE(end_of_file,
              "expected a declaration: policy, include, attribute, group, event, measure, fact, standing, value, role, "
              "section, grades, grade, veto, test or population")
KAOHE_MESSAGE(clause_outside_section,
              "a clause cannot stand alone: put it inside a section (`section ID \"LABEL\" POINTS { clause ... }`)")
KAOHE_MESSAGE(rule_outside_clause,
              "a rule cannot stand alone: put it inside a clause (`clause ID \"LABEL\" POINTS { deduct ... }`)")

// Expressions
KAOHE_MESSAGE(value_equals, "expected `=` and the value's expression, as in `value workload \"工作量\" = lessons + 0.5 * duties`")
KAOHE_MESSAGE(expr,
              "expected a value: a number, a measure, a group, `amount`, `count(EVENT)`, `sum(amount of EVENT)`, "
              "`min(...)`, `max(...)`, `floor(...)`, `ceil(...)`, `if ... then ... else ...`, or an expression in "
              "parentheses")
KAOHE_MESSAGE(unary, "expected a value after `-`")
KAOHE_MESSAGE(mul_operand, "expected a value after `*` or `/`")
KAOHE_MESSAGE(product, "expected a value after `+` or `-`")
KAOHE_MESSAGE(sum_expr, "expected a value to compare with")
KAOHE_MESSAGE(c_and, "conditions are joined with `and`, not `&&`: `when leadership and m > 1`")
KAOHE_MESSAGE(c_or, "conditions are joined with `or`, not `||`: `when leadership or office`")
KAOHE_MESSAGE(c_not, "a condition is negated with `not`, not `!`: `when not leadership` (`!=` compares two values)")
KAOHE_MESSAGE(in_list,
              "there is no `in (...)` list: compare with each value and join with `or`, as in "
              "`where issuer = unit or issuer = county`")
KAOHE_MESSAGE(negatable, "expected a condition after `and` or `not`")
KAOHE_MESSAGE(conjunction, "expected a condition after `or`")
KAOHE_MESSAGE(call_args, "expected the arguments of the function, separated by commas")
KAOHE_MESSAGE(fn_close, "expected `,` and another value, or `)` to close the function's values, as in `min(a, 5)`")
KAOHE_MESSAGE(kw_then, "expected `then` after the condition of `if`")
KAOHE_MESSAGE(kw_else_, "expected `else` and the value when the condition does not hold")
KAOHE_MESSAGE(kw_amount, "expected `amount of EVENT` in `sum(...)`")
KAOHE_MESSAGE(kw_of, "expected `of`, as in `short of 5000` or `sum(amount of EVENT)`")
KAOHE_MESSAGE(event_filter, "expected an event name, optionally followed by `where CONDITION`")
KAOHE_MESSAGE(filter_cond, "expected a condition on the event's attributes after `where`, such as `issuer = unit`")

// Rules
KAOHE_MESSAGE(rule_body,
              "expected what to deduct or add: `N each EVENT`, `amount each EVENT`, "
              "`(EXPRESSION) each EVENT`, `each EVENT by ATTRIBUTE { ... }`, `N per U short of T in MEASURE`, "
              "or an expression")
KAOHE_MESSAGE(veto_one_action,
              "a veto either forces a grade or caps it, not both: write two vetoes, `veto E forces \"G\"` and "
              "`veto E caps \"H\"` (a cap lowers a forced grade too)")
KAOHE_MESSAGE(each_needs_simple_value,
              "only the points may stand before `each`: a number, `amount` or arithmetic such as `0.3 * floor(amount "
              "/ 4)`; a condition goes after the rule, with `when` or `where`")
KAOHE_MESSAGE(condition_needs_when,
              "a rule's condition is written `when CONDITION` (`deduct 1 each E when leadership`), or, for a "
              "multiplier, `times F if GROUP` (`times 1/2 if leadership`)")
KAOHE_MESSAGE(decimal_comma, "a decimal is written with a point, not a comma: `0.5`, not `0,5`")
KAOHE_MESSAGE(one_event_per_rule,
              "a rule counts one event type: write a rule for each (`deduct 1 each late` and `deduct 1 each "
              "mistake`, one after another without commas)")
KAOHE_MESSAGE(no_points_word, "the points are a plain number, without a unit: `deduct 2 each late`, not `2 points`")
KAOHE_MESSAGE(points_after_event, "the points come before `each`: `deduct 2 each late`, not `deduct each late 2`")
KAOHE_MESSAGE(no_semicolon,
              "there is no `;`: rules and declarations end at the next one (write them one after another, one per "
              "line by custom)")
KAOHE_MESSAGE(by_attribute, "expected the attribute whose value picks the points, as in `by issuer`")
KAOHE_MESSAGE(table, "expected a table of points in braces, as in `{ unit: 1, county_gov: 2 }`")
KAOHE_MESSAGE(table_value,
              "expected the points for this table entry: a plain number of 0 or more, as in `unit: 1` or `unit: 0.5` "
              "(`deduct` or `add` gives the sign)")
KAOHE_MESSAGE(table_points_form,
              "table points are a plain number of 0 or more, as in `unit: 0.5`: no sign (`deduct` or `add` gives it), "
              "no fraction or expression, and a decimal point, not a comma")
KAOHE_MESSAGE(per_unit, "expected the size of one step after `per`, as in `per 1000`")
KAOHE_MESSAGE(shortfall_kind, "expected `short of`, `below` or `above` after the step size")
KAOHE_MESSAGE(per_threshold,
              "expected the threshold: a number or arithmetic over measures, as in `short of 5000` or `short of 2 * "
              "weeks`")
KAOHE_MESSAGE(threshold_condition,
              "a threshold is a number, not a condition: a comparison, `and` or `or` belongs inside an `if` or "
              "parentheses, as in `short of (if weeks > 2 then 2 else 1) in M`")
KAOHE_MESSAGE(kw_in, "expected `in MEASURE` after the threshold")
KAOHE_MESSAGE(per_measure, "expected the name of a measure after `in`")
KAOHE_MESSAGE(rounding_choice, "expected `up` (per started step) or `down` (per full step) after `rounding`")
KAOHE_MESSAGE(kw_most, "expected `most` after `at`, as in `at most 5`")
KAOHE_MESSAGE(cap_value, "expected the most points this rule may count, a plain number of 0 or more, as in `at most 5`")
KAOHE_MESSAGE(factor, "expected a factor after `times`, such as `1/2`")
KAOHE_MESSAGE(multiplier_kind, "expected `if` or `unless` and a group condition after the factor")
KAOHE_MESSAGE(multiplier_cond, "expected a condition, such as `leadership` or `leadership or office`")
KAOHE_MESSAGE(when_cond, "expected a condition after `when`")
KAOHE_MESSAGE(flag_condition,
              "expected `when` and the flag's condition, as in `flag further_action \"另作处理\" when count(absent) >= 10`")
KAOHE_MESSAGE(coefficient_by, "expected `by grade { \"优秀\": 1.2, ... }` or `by total { >= 95: 1.3, ..., otherwise: 1 }`")
KAOHE_MESSAGE(coefficient_by_what, "expected `grade` or `total` after `by`: a coefficient is by the final grade or by the total")
KAOHE_MESSAGE(coefficient_value, "expected the coefficient, a number 0 or more, such as `1.2`")
KAOHE_MESSAGE(coefficient_grade_table, "expected `{` and a coefficient for each grade, as in `{ \"优秀\": 1.2, \"称职\": 1, otherwise: 0 }`")
KAOHE_MESSAGE(coefficient_total_table, "expected `{` and a coefficient for each band of the total, as in `{ >= 95: 1.3, >= 85: 1.1, otherwise: 1 }`")
KAOHE_MESSAGE(coefficient_grades_close, "expected `}` or another entry, `\"GRADE\": N` or `otherwise: N`; a coefficient is a number 0 or more")
KAOHE_MESSAGE(coefficient_totals_close, "expected `}` or another entry, `>= N: N` or `otherwise: N`; a coefficient is a number 0 or more")
KAOHE_MESSAGE(expect_coefficient_name, "expected the coefficient's name, as in `expect coefficient pay_factor = 1.2`")
KAOHE_MESSAGE(flag_cond, "expected the flag's condition after `when`, as in `when count(absent) >= 10`")

// Sections and clauses
KAOHE_MESSAGE(clause_body, "expected `{` and the clause's rules (`deduct ...` or `add ...`)")
KAOHE_MESSAGE(maximum_form,
              "a maximum is a plain number of 0 or more (`10`, `2.5`) or `uncapped`, after the label: no sign, no "
              "expression, and a decimal point, not a comma")
KAOHE_MESSAGE(section_body, "expected `{` and the section's clauses and sections")
KAOHE_MESSAGE(citation, "expected the cited paragraph in quotes after `cite`")
KAOHE_MESSAGE(rule_citation, "expected the cited item in quotes after `cite`, as in `cite \"第3项\"`")
KAOHE_MESSAGE(kw_none, "expected `none` after `floor`")
KAOHE_MESSAGE(total_points, "expected the card's total after `total`, a plain number as in `total 100`")
KAOHE_MESSAGE(total_form,
              "a card's `total` is a plain number of 0 or more, as in `total 100`: no sign, no expression, and a "
              "decimal point, not a comma")
KAOHE_MESSAGE(start_point,
              "expected `0` or `full` after `from`: `from 0` starts a clause at 0 and earns up to its maximum, "
              "`from full` starts it at its maximum")

// Declarations
KAOHE_MESSAGE(policy_name, "expected the policy's name in quotes after `policy`")
KAOHE_MESSAGE(figure_places, "expected the number of decimal places, as in `report 2 places half_up`")
KAOHE_MESSAGE(places_word, "expected `places` after the number of places, as in `round total 2 places half_up`")
KAOHE_MESSAGE(rounding_mode, "expected a rounding mode: half_up, half_even, up or down")
KAOHE_MESSAGE(rounding_mode_hyphen, "a rounding mode is written with an underscore: `half_up` or `half_even` (or `up`, `down`)")
KAOHE_MESSAGE(include_path, "expected the path of the file to include, in quotes")
KAOHE_MESSAGE(attribute_values, "expected the attribute's values in braces, as in `{ unit \"本单位\", county_gov \"县委政府\" }`")
KAOHE_MESSAGE(amount_range,
              "expected the range of the amount, two numbers, as in `amount 3..5` (or `amount -20..20` for an "
              "assessor's adjustment that may go either way)")
KAOHE_MESSAGE(amount_hi, "expected the upper end of the range, a number, as in `amount 3..5`")
KAOHE_MESSAGE(period_word, "expected `month` or `quarter` after `each`, as in `each month` or `section ID \"LABEL\" 100 each quarter mean`")
KAOHE_MESSAGE(period_combine,
              "expected `mean` or `sum` after the period: how the periods' scores make the year's, as in `each quarter "
              "mean` (the year is their average) or `each month sum` (their total)")
KAOHE_MESSAGE(period_id, "expected a period as records write it, without quotes: a month as `2022-03` or a quarter as `2022-Q1`")
KAOHE_MESSAGE(test_period_close, "expected `}`: a period block holds the inputs given for that period, `measures { ... }` and `ratings { ... }`")
KAOHE_MESSAGE(weight_points, "expected the part's weight after `weight`, a percentage, as in `weight 70%` or `weight 12.5%`")
KAOHE_MESSAGE(weight_percent, "a weight is a percentage written with `%` after a plain decimal, as in `weight 70%` or `weight 12.5%` (no fraction: write `95/4%` as `23.75%`)")
KAOHE_MESSAGE(within_points, "expected the bound of the clause's net after `within`, a number, as in `within 3` (−3..+3)")
KAOHE_MESSAGE(domain, "expected the measure's domain: `whole` or `decimal`, optionally `>= 0` or `0..100`")
KAOHE_MESSAGE(yes_no, "expected `yes/no`: a fact is yes or no (a standing lists its values: `standing ID \"LABEL\" { ... }`)")
KAOHE_MESSAGE(standing_values, "expected the standing's values in braces, as in `{ autonomous \"村民自治村\", other \"其他\" }`")
KAOHE_MESSAGE(yes_no_slash, "expected `yes/no`: a fact is yes or no; one with other values is a `standing ID \"LABEL\" { value \"label\", ... }`")
KAOHE_MESSAGE(kw_no, "expected `yes/no`")
KAOHE_MESSAGE(fact_default_value, "expected the default value's name, as in `default no` or `default other`")
KAOHE_MESSAGE(fact_given, "expected the fact's value by name, as in `has_system: yes` or `village_kind: autonomous`")
KAOHE_MESSAGE(test_facts_close, "expected `}` or another fact, `NAME: VALUE`")
KAOHE_MESSAGE(scale_value, "expected the number this label stands for, as in `优秀: 95`")
KAOHE_MESSAGE(scale_close, "expected `}` or another value of the scale, `LABEL: NUMBER`")
KAOHE_MESSAGE(domain_min, "expected the domain's lower bound, a number (it may be negative), as in `>= 0` or `0..100`")
KAOHE_MESSAGE(domain_max, "expected the upper end of the domain, as in `0..100`")
KAOHE_MESSAGE(domain_bound_form,
              "a measure's domain has two forms of bounds, `LO..HI` (both included) and `>= LO`: there is no "
              "`>`, `<`, `<=` or `=` (for `> 0` on a whole measure write `>= 1`)")
KAOHE_MESSAGE(grades_body, "expected `{` and grade bands, as in `{ \"优秀\" >= 90, \"不称职\" otherwise }`")
KAOHE_MESSAGE(grade_limit,
              "expected `>= N` or `otherwise` after the grade's name (a band is given by its lowest total: there is "
              "no `>`, `<` or `<=`)")
KAOHE_MESSAGE(grade_name, "expected the grade's name in quotes")
KAOHE_MESSAGE(band_threshold, "expected the band's lowest total after `>=`, a plain number 0 or more, as in `>= 90`")
KAOHE_MESSAGE(negative_threshold,
              "a band's threshold cannot be negative: a band is given by its lowest total, 0 or more (`>= 0`), and "
              "what lies below the lowest band is `otherwise`")
KAOHE_MESSAGE(quota_share, "expected the quota's share of the unit, a plain decimal and `%`, as in `quota 15% round down ties all_in`")
KAOHE_MESSAGE(quota_percent, "a quota is a percentage written with `%` after a plain decimal, as in `quota 15%`")
KAOHE_MESSAGE(kw_round, "expected `round down` or `round nearest` after the quota's share")
KAOHE_MESSAGE(quota_rounding, "expected `down` or `nearest` (to the nearest whole person, .5 up) after `round`")
KAOHE_MESSAGE(kw_ties, "expected `ties all_in` or `ties all_out` after the quota's rounding")
KAOHE_MESSAGE(quota_ties, "expected `all_in` (everyone tied at the boundary keeps the grade) or `all_out` (none of them does) after `ties`")
KAOHE_MESSAGE(quota_tie_rule,
              "expected `all_in`, `all_out` or `by highest MEASURE then all_in` (ranking those tied on total by a "
              "measure) after `ties`")
KAOHE_MESSAGE(quota_tie_order, "expected `highest` or `lowest` after `ties by`: which end of the measure ranks first")
KAOHE_MESSAGE(quota_tie_measure, "expected the measure that ranks those tied on total, as in `ties by highest attendance then all_in`")
KAOHE_MESSAGE(quota_tie_then, "expected `then all_in` or `then all_out` after the tie measure: for those still tied")
KAOHE_MESSAGE(veto_event, "expected the name of the veto event after `veto`")
KAOHE_MESSAGE(grade_rule_when, "expected `when CONDITION` after the grade, as in `grade \"不称职\" when count(absent) > 15`")
KAOHE_MESSAGE(grade_rule_cond, "expected a condition after `when`, as in `count(absent) > 15`")
KAOHE_MESSAGE(veto_filter, "expected a condition on the event's attributes after `where`, such as `level = major`")

// Tests
KAOHE_MESSAGE(test_name, "expected the test's name in quotes after `test`")
KAOHE_MESSAGE(expected_rank, "expected a whole number after `expect rank =`, as in `expect rank = 1`")
KAOHE_MESSAGE(population_name, "expected the population's name in quotes after `population`")
KAOHE_MESSAGE(population_open, "expected `{` and the population's tests, as in `population \"三人\" { test \"p1\" { ... } }`")
KAOHE_MESSAGE(population_close, "expected `}` or another `test` of the population")
KAOHE_MESSAGE(test_body, "expected `{` and the test's role, measures, events and expectations")
KAOHE_MESSAGE(test_group, "expected a group name")
KAOHE_MESSAGE(event_list, "expected `{` and events separated by commas")
KAOHE_MESSAGE(event_item, "expected an event after `,`")
KAOHE_MESSAGE(attr_value,
              "expected a value for this attribute, as in `issuer unit` (an event's fields are `date \"2022-03-14\"`, "
              "`amount N`, `count N`, `note \"TEXT\"` and `ATTRIBUTE VALUE`)")
KAOHE_MESSAGE(op_eq, "expected `=` and the expected value")
KAOHE_MESSAGE(expected_number,
              "expected the expected value: a number (`9.5`) or an exact fraction (`10/3`), optionally followed by "
              "`rounded` to compare with the value rounded as the policy rounds (`3.33 rounded`)")
KAOHE_MESSAGE(fraction_not_rounded,
              "`rounded` compares with the figure as the policy rounds it (`6.67 rounded`); an exact fraction is "
              "written without `rounded` (`20/3`)")
KAOHE_MESSAGE(expected_denominator, "expected the denominator of the fraction, a number as in `10/3`")
KAOHE_MESSAGE(expectation,
              "expected what to check: `total = N`, `PATH = N`, `PATH = N/D`, `PATH = N rounded`, "
              "`grade = \"NAME\"`, `error \"TEXT\"` or `warning \"TEXT\"`")

// Ratings by several raters
KAOHE_MESSAGE(rating_marks, "expected how the raters mark: `marks 0..100 mean`, or `marks scale { 优秀: 95, 良好: 85 } mean`")
KAOHE_MESSAGE(marks_domain, "expected the marks' range, as in `marks 0..100`, or their scale, as in `marks scale { 优秀: 95, 良好: 85 }`")
KAOHE_MESSAGE(marks_method, "expected how the marks combine: `mean`, or `mean dropping highest and lowest`")
KAOHE_MESSAGE(kw_highest,
              "expected `dropping highest and lowest`: a rating drops one highest and one lowest mark together, or "
              "none (`mean`)")
KAOHE_MESSAGE(dropping_one_end,
              "expected `and lowest` after `dropping highest`: a rating drops one highest and one lowest mark "
              "together, or none (`mean`)")
KAOHE_MESSAGE(kw_lowest, "expected `dropping highest and lowest`")
KAOHE_MESSAGE(rating_mark_list, "expected the raters' marks in brackets, as in `review: [92, 88, 95]`")
KAOHE_MESSAGE(rating_mark, "expected a mark: a number, as in `92`, or a label of the rating's scale, as in `优秀`")
KAOHE_MESSAGE(rating_marks_close, "expected `]` or `,` and another mark")
KAOHE_MESSAGE(rating_kind, "expected how the raters rate: `marks 0..100 mean`, `marks scale { 优秀: 95, 良好: 85 } mean`, or `votes { excellent \"优秀\", competent \"称职\" }`")
KAOHE_MESSAGE(vote_grades, "expected the grades voted for, in braces, as in `votes { excellent \"优秀\", competent \"称职\" }`")
KAOHE_MESSAGE(share_rating, "expected a vote rating, as in `share(votes for excellent, competent)`")
KAOHE_MESSAGE(kw_for_, "expected `for` and the grades, as in `share(votes for excellent, competent)`")
KAOHE_MESSAGE(share_grade, "expected a grade of the vote rating, as in `share(votes for excellent, competent)`")
KAOHE_MESSAGE(rating_given_value, "expected the raters' marks in brackets, as in `review: [92, 88, 95]`, or the votes per grade in braces, as in `votes: { excellent: 30, competent: 10 }`")
KAOHE_MESSAGE(vote_counts_close, "expected `}` or another grade's votes, `GRADE: N`")
KAOHE_MESSAGE(test_ratings_close, "expected `}` or another rating's marks, `NAME: [N, ...]`")

#undef KAOHE_MESSAGE

}  // namespace kaohe::grammar
