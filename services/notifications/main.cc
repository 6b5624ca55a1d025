// notifications: subscriptions, inboxes and the live event stream (moot.notifications.v1).
#include <unistd.h>

#include <iostream>
#include <thread>

#include "absl/synchronization/notification.h"

#include "absl/strings/str_cat.h"
#include "libs/config/config.h"
#include "libs/rpc/server_runner.h"
#include "libs/service/service_host.h"
#include "services/notifications/deadline_reminders.h"
#include "services/notifications/event_broadcaster.h"
#include "services/notifications/event_service.h"
#include "services/notifications/inbox_service.h"
#include "services/notifications/notifications_consumer.h"
#include "services/notifications/notifications_logic.h"
#include "services/notifications/subscription_service.h"

extern char** environ;

namespace {

// Unique per process within the consumer group.
std::string ConsumerName() {
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) {
    host[0] = '\0';
  }
  return absl::StrCat(host[0] != '\0' ? host : "notifications", "-", getpid());
}

}  // namespace

int main(int argc, char** argv) {
  auto wait_for_signal = moot::rpc::InstallShutdownSignals();
  moot::rpc::ConfigureProcess();
  auto host = moot::service::ServiceHost::Create(
      {.name = "notifications",
       .default_grpc_port = 50065,
       .default_admin_port = 9065,
       .extra_keys =
           [](moot::config::ConfigSchema& schema) {
             schema.Add(moot::config::Key::Int(moot::notifications::kReminderDaysBeforeKey, 3)
                            .Range(0, 28)
                            .Help("Days before each statutory precept deadline (1/8/15/22 Feb, "
                                  "1 Mar) that officers get a reminder at 09:00 Europe/London, "
                                  "besides the one on the day; 0 = only on the day."));
             schema.Add(moot::config::Key::Duration(moot::notifications::kReminderSweepPeriodKey,
                                                    absl::Seconds(60))
                            .DurationRange(absl::Seconds(1), absl::Hours(1))
                            .Help("How often due deadline reminders are delivered."));
           }},
      moot::config::EnvironmentFrom(environ), std::vector<std::string>(argv + 1, argv + argc));
  if (!host.ok()) {
    std::cerr << "notifications: " << host.status().message() << "\n";
    return 2;
  }
  if ((*host)->help_requested()) {
    std::cout << (*host)->help_text();
    return 0;
  }
  moot::service::ServiceHost& h = **host;
  moot::notifications::NotificationsLogic logic(h.db(), h.clock(), h.ids(), h.page_tokens());
  if (absl::Status status = logic.Migrate(); !status.ok()) {
    std::cerr << "notifications: migrations failed: " << status.message() << "\n";
    return 1;
  }
  moot::notifications::EventBroadcaster broadcaster;
  moot::notifications::NotificationsConsumer handler(logic, h.db(), broadcaster, &h.tracer(),
                                                     h.outbox().stream(), h.clock());
  std::unique_ptr<moot::events::StreamConsumer> consumer =
      handler.MakeStreamConsumer(h.redis(), ConsumerName());
  // Statutory precept deadline reminders: their own consumer group recomputes them from the
  // precept.* events; the sweeper delivers the due ones.
  moot::notifications::DeadlineReminders reminders(
      logic, h.db(), h.outbox(), h.clock(), h.ids(),
      {.days_before =
           static_cast<int>(h.config().GetInt(moot::notifications::kReminderDaysBeforeKey))});
  std::unique_ptr<moot::events::StreamConsumer> reminder_consumer =
      reminders.MakeStreamConsumer(h.redis(), ConsumerName(), h.outbox().stream());
  h.AddBackgroundTask(
      {.name = "deadline reminders",
       .start =
           [&] {
             reminder_consumer->Start();
             reminders.Start(h.config().GetDuration(moot::notifications::kReminderSweepPeriodKey));
           },
       .stop =
           [&] {
             reminders.Stop();
             reminder_consumer->Stop();
           }});
  // The consumer, and its lag reported to the metrics every few seconds.
  absl::Notification stop_lag;
  std::thread lag_reporter;
  h.AddBackgroundTask({.name = "event consumer",
                       .start =
                           [&] {
                             consumer->Start();
                             lag_reporter = std::thread([&] {
                               do {
                                 h.metrics().SetConsumerLag(h.outbox().stream(),
                                                            moot::notifications::kConsumerGroup,
                                                            consumer->stats().lag);
                               } while (!stop_lag.WaitForNotificationWithTimeout(absl::Seconds(5)));
                             });
                           },
                       .stop =
                           [&] {
                             broadcaster.Close();
                             stop_lag.Notify();
                             if (lag_reporter.joinable()) {
                               lag_reporter.join();
                             }
                             consumer->Stop();
                           }});

  moot::notifications::SubscriptionService subscriptions(logic, h.server_auth());
  moot::notifications::InboxService inboxes(logic, h.server_auth());
  moot::notifications::EventService events(logic, broadcaster, h.server_auth());
  h.AddService(&subscriptions);
  h.AddService(&inboxes);
  h.AddService(&events);
  // Open WatchEvents streams would hold the drain for the whole grace period: end them as soon
  // as the signal arrives (clients resume with after_event_id elsewhere).
  return h.Run([&] {
    const int signal = wait_for_signal();
    broadcaster.Close();
    return signal;
  });
}
