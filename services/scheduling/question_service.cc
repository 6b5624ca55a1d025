#include "services/scheduling/question_service.h"

#include "libs/rpc/unary.h"

namespace moot::scheduling {

grpc::Status QuestionService::SubmitQuestion(grpc::ServerContext* context,
                                             const v1::SubmitQuestionRequest* request,
                                             v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.SubmitQuestion(p, *request); });
}

grpc::Status QuestionService::RecordQuestion(grpc::ServerContext* context,
                                             const v1::RecordQuestionRequest* request,
                                             v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RecordQuestion(p, *request); });
}

grpc::Status QuestionService::GetQuestion(grpc::ServerContext* context,
                                          const v1::GetQuestionRequest* request,
                                          v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.GetQuestion(p, *request); });
}

grpc::Status QuestionService::ListQuestions(grpc::ServerContext* context,
                                            const v1::ListQuestionsRequest* request,
                                            v1::ListQuestionsResponse* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.ListQuestions(p, *request); });
}

grpc::Status QuestionService::AcceptQuestion(grpc::ServerContext* context,
                                             const v1::AcceptQuestionRequest* request,
                                             v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.AcceptQuestion(p, *request); });
}

grpc::Status QuestionService::RejectQuestion(grpc::ServerContext* context,
                                             const v1::RejectQuestionRequest* request,
                                             v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RejectQuestion(p, *request); });
}

grpc::Status QuestionService::RedirectQuestion(grpc::ServerContext* context,
                                               const v1::RedirectQuestionRequest* request,
                                               v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.RedirectQuestion(p, *request); });
}

grpc::Status QuestionService::AnswerQuestion(grpc::ServerContext* context,
                                             const v1::AnswerQuestionRequest* request,
                                             v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.AnswerQuestion(p, *request); });
}

grpc::Status QuestionService::MarkNoQuestions(grpc::ServerContext* context,
                                              const v1::MarkNoQuestionsRequest* request,
                                              v1::NoQuestionsRecord* response) {
  return rpc::Unary(auth_, context, response,
                    [&](const auth::Principal& p) { return logic_.MarkNoQuestions(p, *request); });
}

grpc::Status QuestionService::RecordQuestionOutcome(grpc::ServerContext* context,
                                                    const v1::RecordQuestionOutcomeRequest* request,
                                                    v1::PublicQuestion* response) {
  return rpc::Unary(auth_, context, response, [&](const auth::Principal& p) {
    return logic_.RecordQuestionOutcome(p, *request);
  });
}

}  // namespace moot::scheduling
