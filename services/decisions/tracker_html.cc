// RenderTrackerHtml: the action tracker as an accessible HTML fragment.
#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "services/decisions/action_logic.h"
#include "services/decisions/html_escape.h"

namespace moot::decisions {
namespace {

// "2023-09" -> "Sep 2023" (the tracker's month-only "Meeting Date", §8 A4).
std::string Month(const std::string& month) {
  absl::CivilMonth m;
  if (!absl::ParseCivilTime(month, &m)) {
    return month;
  }
  return absl::FormatTime("%b %Y", absl::FromCivil(m, absl::UTCTimeZone()), absl::UTCTimeZone());
}

// Who asked and who answers, who undertook what to whom, the minimum membership and the
// members found (R-ACT-08, R-ACT-10, R-ACT-11).
std::string Detail(const v1::Action& a) {
  switch (a.type()) {
    case v1::ACTION_TYPE_WRITTEN_RESPONSE:
      return absl::StrCat("<br>Written response from ", HtmlEscape(a.respondent()), " to ",
                          HtmlEscape(a.requested_by()), ".");
    case v1::ACTION_TYPE_UNDERTAKING:
      return absl::StrCat("<br>Undertaking by ", HtmlEscape(a.given_by()), " to ",
                          HtmlEscape(a.given_to()), ".");
    case v1::ACTION_TYPE_MEMBERSHIP: {
      std::string out = absl::StrCat("<br>Minimum of ", a.minimum_members(), " members");
      if (!a.members().empty()) {
        std::string names;
        for (const std::string& m : a.members()) {
          absl::StrAppend(&names, names.empty() ? "" : ", ", HtmlEscape(m));
        }
        absl::StrAppend(&out, "; membership: ", names);
      }
      return absl::StrCat(out, ".");
    }
    default:
      return "";
  }
}

void Table(std::string& html, const std::string& id, const std::string& caption,
           const google::protobuf::RepeatedPtrField<v1::Action>& actions) {
  absl::StrAppend(&html, "<table id=\"", id, "\">\n<caption>", HtmlEscape(caption), "</caption>\n",
                  "<thead><tr><th scope=\"col\">Minute/ Action No.</th>"
                  "<th scope=\"col\">Meeting Date</th><th scope=\"col\">Action</th>"
                  "<th scope=\"col\">Update/ Notes</th></tr></thead>\n<tbody>\n");
  if (actions.empty()) {
    absl::StrAppend(&html, "<tr><td colspan=\"4\">None.</td></tr>\n");
  }
  for (const v1::Action& a : actions) {
    // R-ACT-03: the action in bold, the steps taken in italics.
    std::string notes =
        a.updates().empty()
            ? ""
            : absl::StrCat("<em>", HtmlEscape(a.updates().rbegin()->note()), "</em>");
    for (const std::string& flag : a.flags()) {
      if (flag == "ACTION_REF_UNRESOLVED") {
        absl::StrAppend(&notes, notes.empty() ? "" : " ",
                        "<strong>(Check: this reference does not match a resolution of the "
                        "minutes.)</strong>");
      }
    }
    absl::StrAppend(
        &html, "<tr><th scope=\"row\">",
        a.ref().empty() ? "<span aria-label=\"no reference\">–</span>" : HtmlEscape(a.ref()),
        "</th><td>", HtmlEscape(Month(a.meeting_month())), "</td><td><strong>",
        HtmlEscape(a.text()), "</strong>", Detail(a), "</td><td>", notes, "</td></tr>\n");
  }
  absl::StrAppend(&html, "</tbody>\n</table>\n");
}

}  // namespace

std::string RenderTrackerHtml(const v1::ActionTrackerReport& report, const std::string& title) {
  std::string html = absl::StrCat(
      "<section class=\"action-tracker\" aria-labelledby=\"tracker-"
      "title\">\n<h2 id=\"tracker-title\">",
      HtmlEscape(title), "</h2>\n");
  // R-ACT-09: the computed count.
  absl::StrAppend(&html, "<p class=\"tracker-count\">", HtmlEscape(report.outstanding_summary()),
                  "</p>\n");
  Table(html, "tracker-outstanding", "1. Outstanding Actions", report.outstanding());
  Table(html, "tracker-completed", "2. Completed Actions", report.completed());
  absl::StrAppend(&html, "</section>\n");
  return html;
}

}  // namespace moot::decisions
