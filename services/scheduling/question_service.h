// gRPC adapter of moot.scheduling.v1.QuestionService over QuestionLogic.
#pragma once

#include "libs/auth/server_auth.h"
#include "moot/scheduling/v1/questions.grpc.pb.h"
#include "services/scheduling/question_logic.h"

namespace moot::scheduling {

class QuestionService final : public v1::QuestionService::Service {
 public:
  QuestionService(QuestionLogic& logic, const auth::ServerAuth& auth)
      : logic_(logic), auth_(auth) {}

  grpc::Status SubmitQuestion(grpc::ServerContext* context,
                              const v1::SubmitQuestionRequest* request,
                              v1::PublicQuestion* response) override;
  grpc::Status RecordQuestion(grpc::ServerContext* context,
                              const v1::RecordQuestionRequest* request,
                              v1::PublicQuestion* response) override;
  grpc::Status GetQuestion(grpc::ServerContext* context, const v1::GetQuestionRequest* request,
                           v1::PublicQuestion* response) override;
  grpc::Status ListQuestions(grpc::ServerContext* context, const v1::ListQuestionsRequest* request,
                             v1::ListQuestionsResponse* response) override;
  grpc::Status AcceptQuestion(grpc::ServerContext* context,
                              const v1::AcceptQuestionRequest* request,
                              v1::PublicQuestion* response) override;
  grpc::Status RejectQuestion(grpc::ServerContext* context,
                              const v1::RejectQuestionRequest* request,
                              v1::PublicQuestion* response) override;
  grpc::Status RedirectQuestion(grpc::ServerContext* context,
                                const v1::RedirectQuestionRequest* request,
                                v1::PublicQuestion* response) override;
  grpc::Status AnswerQuestion(grpc::ServerContext* context,
                              const v1::AnswerQuestionRequest* request,
                              v1::PublicQuestion* response) override;
  grpc::Status MarkNoQuestions(grpc::ServerContext* context,
                               const v1::MarkNoQuestionsRequest* request,
                               v1::NoQuestionsRecord* response) override;

  grpc::Status RecordQuestionOutcome(grpc::ServerContext* context,
                                     const v1::RecordQuestionOutcomeRequest* request,
                                     v1::PublicQuestion* response) override;

 private:
  QuestionLogic& logic_;
  const auth::ServerAuth& auth_;
};

}  // namespace moot::scheduling
