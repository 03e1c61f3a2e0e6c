// Drop: one daily drop opened for reading against a job, in its container (zip, gzip, csv or
// zstd: job/job.h), chosen from the file name's extension (.zip; .csv.gz, .gz; .csv; .csv.zst,
// .zst), else the job's [source] container. It holds the span its bytes are read from
// (container_entry.h: for a zip, the member located in it) and the file open for positional reads
// (file_reader.h). Contract: the constructor locates the span first, then opens the file, and
// throws snapdelta::Error naming the path as locate_drop_entry() and FileReader do (a file whose
// bytes are not its container fails saying what it found); a Drop is neither copied nor moved, so
// references to its parts stay valid.
#pragma once

#include <string>

#include "job/builtin_job.h"
#include "job/container.h"
#include "job/job.h"
#include "source/container_entry.h"
#include "source/file_reader.h"
#include "source/zip_entry.h"

namespace snapdelta {

class Drop {
 public:
  // A drop read by no job in particular (infer, tests): the built-in job's.
  explicit Drop(const std::string& path) : Drop(path, builtin_job()) {}
  // `job` must outlive the Drop.
  Drop(const std::string& path, const Job& job)
      : job_(&job),
        container_(container_from_extension(path).value_or(job.source.container)),
        entry_(locate_drop_entry(path, container_, job.source.entry)),
        file_(path) {}
  Drop(const Drop&) = delete;
  Drop& operator=(const Drop&) = delete;

  const Job& job() const { return *job_; }
  Container container() const { return container_; }
  const ZipEntry& entry() const { return entry_; }
  const FileReader& file() const { return file_; }

 private:
  const Job* job_;
  Container container_;
  ZipEntry entry_;  // declared before file_: located before the file is opened
  FileReader file_;
};

}  // namespace snapdelta
