#include "services/decisions/minutes_text.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/decisions/html_escape.h"

namespace moot::decisions {
namespace {

// "2023-07-17" -> "17 July 2023"; anything else unchanged.
std::string LongDate(const std::string& date) {
  absl::CivilDay day;
  if (!absl::ParseCivilTime(date, &day)) {
    return date;
  }
  return absl::StrCat(
      day.day(), " ",
      absl::FormatTime("%B %Y", absl::FromCivil(day, absl::UTCTimeZone()), absl::UTCTimeZone()));
}

// Whether `phrase` occurs in `lower` as whole words, not preceded by "not ".
bool Says(absl::string_view lower, absl::string_view phrase) {
  for (size_t at = lower.find(phrase); at != absl::string_view::npos;
       at = lower.find(phrase, at + 1)) {
    const size_t end = at + phrase.size();
    const bool starts_word =
        at == 0 || !absl::ascii_isalpha(static_cast<unsigned char>(lower[at - 1]));
    const bool ends_word =
        end == lower.size() || !absl::ascii_isalpha(static_cast<unsigned char>(lower[end]));
    const bool negated = at >= 4 && lower.substr(at - 4, 4) == "not ";
    if (starts_word && ends_word && !negated) {
      return true;
    }
  }
  return false;
}

}  // namespace

v1::ConfirmationWording ParseConfirmationWording(absl::string_view text) {
  // R-MIN-06: the three forms of the source, in any case.
  const std::string lower = absl::AsciiStrToLower(text);
  if (Says(lower, "confirmed as a correct record")) {
    return v1::CONFIRMATION_WORDING_CONFIRMED_AND_SIGNED;
  }
  if (Says(lower, "accepted as a correct record")) {
    return v1::CONFIRMATION_WORDING_ACCEPTED;
  }
  if (Says(lower, "approved")) {
    return v1::CONFIRMATION_WORDING_APPROVED;
  }
  return v1::CONFIRMATION_WORDING_UNSPECIFIED;
}

std::string ConfirmationText(v1::ConfirmationWording wording,
                             const std::vector<std::string>& meeting_dates) {
  std::vector<std::string> dates;
  for (const std::string& d : meeting_dates) {
    dates.push_back(LongDate(d));
  }
  const std::string held = dates.size() == 1
                               ? absl::StrCat("the meeting held on ", dates[0])
                               : absl::StrCat("the meetings held on ",
                                              absl::StrJoin(dates.begin(), dates.end() - 1, ", "),
                                              " and ", dates.back());
  switch (wording) {
    case v1::CONFIRMATION_WORDING_ACCEPTED:
      return absl::StrCat("The notes of ", held, " were accepted as a correct record.");
    case v1::CONFIRMATION_WORDING_APPROVED:
      return absl::StrCat("The notes of ", held, " were approved.");
    default:
      return absl::StrCat("That the Minutes of ", held,
                          " be confirmed as a correct record and signed by the Chair.");
  }
}

std::string RenderMinutesHtml(const v1::Minutes& minutes,
                              const std::vector<v1::MinuteEntry>& entries) {
  const bool summary = minutes.minutes_style() == v1::MINUTES_STYLE_SUMMARY;
  std::string html = absl::StrCat(
      "<article class=\"minutes\" aria-labelledby=\"minutes-title\">\n<h1 id=\"minutes-title\">",
      summary ? "Notes" : "Minutes", " of the meeting held on ",
      HtmlEscape(LongDate(minutes.meeting_date())), "</h1>\n");
  // R-MIN-07: summary notes say so.
  if (summary) {
    absl::StrAppend(&html,
                    "<p class=\"minutes-style\">These minutes provide a summary of key points "
                    "raised during the meeting.</p>\n");
  }
  // R-MIN-08: the webcast is the record of the full discussion.
  if (!minutes.webcast_url().empty()) {
    absl::StrAppend(&html,
                    "<p class=\"minutes-webcast\">The meeting was recorded, and a webcast of the "
                    "entire discussion can be viewed here: <a href=\"",
                    HtmlEscape(minutes.webcast_url()), "\">", HtmlEscape(minutes.webcast_url()),
                    "</a></p>\n");
  }
  if (!minutes.confirmed_by_ref().empty()) {
    absl::StrAppend(&html, "<p class=\"minutes-confirmed\">Confirmed by minute ",
                    HtmlEscape(minutes.confirmed_by_ref()), ".</p>\n");
  }
  for (const v1::MinuteEntry& e : entries) {
    absl::StrAppend(&html, "<section class=\"minute\">\n<h2><span class=\"minute-number\">",
                    HtmlEscape(e.display_number()), "</span> ", HtmlEscape(e.title()), "</h2>\n");
    if (!e.text().empty()) {
      absl::StrAppend(&html, "<p>", HtmlEscape(e.text()), "</p>\n");
    }
    if (!e.resolutions().empty()) {
      absl::StrAppend(&html, "<p>Resolved:</p>\n<ol class=\"resolutions\">\n");
      for (const v1::ResolutionClause& c : e.resolutions()) {
        absl::StrAppend(&html, "<li id=\"minute-", HtmlEscape(e.display_number()), "-",
                        c.clause().empty() ? "0" : HtmlEscape(absl::AsciiStrToLower(c.clause())),
                        "\"><span class=\"clause\">", HtmlEscape(c.clause()), "</span> ",
                        HtmlEscape(c.text()), "</li>\n");
      }
      absl::StrAppend(&html, "</ol>\n");
    }
    absl::StrAppend(&html, "</section>\n");
  }
  absl::StrAppend(&html, "</article>\n");
  return html;
}

}  // namespace moot::decisions
