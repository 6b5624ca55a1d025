// The transport-free ends of the documents service's streams: where an upload's chunks come
// from and where a download's messages go. The gRPC adapter implements them over its reader
// and writer; tests implement them over strings.
#pragma once

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "moot/documents/v1/documents.pb.h"

namespace moot::documents {

// The chunks of an upload, after its metadata.
class ChunkSource {
 public:
  virtual ~ChunkSource() = default;
  // Puts the next chunk in `*chunk` and returns true; false at the end of the stream; an error
  // (e.g. INVALID_ARGUMENT) when the next message is not a chunk.
  virtual absl::StatusOr<bool> Next(std::string* chunk) = 0;
};

// Receives a download: the document once, then its chunks in order.
class DownloadSink {
 public:
  virtual ~DownloadSink() = default;
  // An error (e.g. CANCELLED when the client went away) ends the download with that status.
  virtual absl::Status SendDocument(const v1::Document& document) = 0;
  virtual absl::Status SendChunk(std::string chunk) = 0;
};

}  // namespace moot::documents
