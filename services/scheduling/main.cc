// scheduling: bodies, meetings and agendas (moot.scheduling.v1).
#include <unistd.h>

#include <iostream>

#include "absl/strings/str_cat.h"
#include "libs/config/config.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/scheduling/agenda_logic.h"
#include "services/scheduling/agenda_service.h"
#include "services/scheduling/attendance_logic.h"
#include "services/scheduling/attendance_service.h"
#include "services/scheduling/body_service.h"
#include "services/scheduling/calendar_logic.h"
#include "services/scheduling/calendar_service.h"
#include "services/scheduling/meeting_service.h"
#include "services/scheduling/people_logic.h"
#include "services/scheduling/people_service.h"
#include "services/scheduling/petition_service.h"
#include "services/scheduling/precept_listener.h"
#include "services/scheduling/question_logic.h"
#include "services/scheduling/question_service.h"
#include "services/scheduling/scheduling_logic.h"
#include "services/scheduling/work_programme_logic.h"
#include "services/scheduling/work_programme_service.h"

extern char** environ;

namespace {

// Unique per process within the precept listener's consumer group.
std::string ConsumerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) {
    host[0] = '\0';
  }
  return absl::StrCat(host[0] != '\0' ? host : "scheduling", "-", getpid());
}

}  // namespace

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "scheduling", .default_grpc_port = 50061, .default_admin_port = 9061},
      moot::config::EnvironmentFrom(environ), std::vector<std::string>(argv + 1, argv + argc));
  if (!host.ok()) {
    std::cerr << "scheduling: " << host.status().message() << "\n";
    return 2;
  }
  if ((*host)->help_requested()) {
    std::cout << (*host)->help_text();
    return 0;
  }
  moot::service::ServiceHost& h = **host;
  moot::scheduling::SchedulingLogic logic(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens());
  if (absl::Status status = logic.Migrate(); !status.ok()) {
    std::cerr << "scheduling: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::scheduling::PeopleLogic people(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens());
  moot::scheduling::AgendaLogic agenda(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens());
  for (absl::Status status : {people.Migrate(), agenda.Migrate()}) {
    if (!status.ok()) {
      std::cerr << "scheduling: migrations failed: " << status.message() << "\n";
      return 1;
    }
  }
  moot::scheduling::BodyService bodies(logic, h.server_auth());
  moot::scheduling::MeetingService meetings(logic, h.server_auth());
  h.AddService(&bodies);
  h.AddService(&meetings);
  // The deadline engine and closure days; provisional meetings follow the budget service's
  // precept.* events (R-MTG-07).
  moot::scheduling::CalendarLogic calendar(h.db(), h.outbox(), h.clock(), h.ids(), h.page_tokens());
  for (absl::Status status :
       {calendar.Migrate(), moot::scheduling::PreceptListener::Migrate(h.db())}) {
    if (!status.ok()) {
      std::cerr << "scheduling: migrations failed: " << status.message() << "\n";
      return 1;
    }
  }
  moot::scheduling::CalendarService calendar_service(calendar, h.server_auth());
  h.AddService(&calendar_service);
  moot::scheduling::PreceptListener precept_listener(logic, h.db(), h.clock());
  std::unique_ptr<moot::events::StreamConsumer> precept_consumer =
      precept_listener.MakeStreamConsumer(h.redis(), h.outbox().stream(), ConsumerName());
  h.AddBackgroundTask({.name = "precept listener",
                       .start = [&] { precept_consumer->Start(); },
                       .stop = [&] { precept_consumer->Stop(); }});
  moot::scheduling::PersonService person_service(people, h.server_auth());
  moot::scheduling::MembershipService membership_service(people, h.server_auth());
  moot::scheduling::AgendaService agenda_service(agenda, h.server_auth());
  h.AddService(&person_service);
  h.AddService(&membership_service);
  h.AddService(&agenda_service);
  moot::scheduling::AttendanceLogic attendance(h.db(), h.outbox(), h.clock(), h.ids(),
                                               h.page_tokens());
  if (absl::Status status = attendance.Migrate(); !status.ok()) {
    std::cerr << "scheduling: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::scheduling::AttendanceService attendance_service(attendance, h.server_auth());
  h.AddService(&attendance_service);
  // Public questions and the work programme (issue 3 points 7 and 8).
  moot::scheduling::QuestionLogic questions(h.db(), h.outbox(), h.clock(), h.ids(),
                                            h.page_tokens());
  moot::scheduling::WorkProgrammeLogic work_programme(h.db(), h.outbox(), h.clock(), h.ids(),
                                                      h.page_tokens());
  for (absl::Status status : {questions.Migrate(), work_programme.Migrate()}) {
    if (!status.ok()) {
      std::cerr << "scheduling: migrations failed: " << status.message() << "\n";
      return 1;
    }
  }
  moot::scheduling::QuestionService question_service(questions, h.server_auth());
  moot::scheduling::WorkProgrammeService work_programme_service(work_programme, h.server_auth());
  h.AddService(&question_service);
  h.AddService(&work_programme_service);

  // Petitions to a body (R-PQ-06).
  moot::scheduling::PetitionLogic petitions(h.db(), h.outbox(), h.clock(), h.ids(),
                                            h.page_tokens());
  if (absl::Status status = petitions.Migrate(); !status.ok()) {
    std::cerr << "scheduling: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::scheduling::PetitionService petition_service(petitions, h.server_auth());
  h.AddService(&petition_service);
  return h.Run(wait_for_signal);
}
