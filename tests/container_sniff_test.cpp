// Tests for the container sniffer (container_sniff.h) and the plain-file stream (file_stream.h).
#include "source/container_sniff.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "common/error.h"
#include "inflate_test_support.h"
#include "source/file_reader.h"
#include "source/file_stream.h"
#include "test_support.h"

using namespace snapdelta;
using namespace snapdelta::test;

namespace {

ContainerKind sniff(std::string_view bytes) {
  return sniff_container(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

std::string found(std::string_view bytes) {
  return describe_found(std::span(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()));
}

// Records the size of every piece it is given.
class PieceSink : public ByteSink {
 public:
  void write(const uint8_t* data, size_t size) override {
    out.append(reinterpret_cast<const char*>(data), size);
    largest = std::max(largest, size);
  }
  std::string out;
  size_t largest = 0;
};

}  // namespace

TEST(ContainerSniff, NamesEachContainerByItsMagic) {
  EXPECT_EQ(sniff(""), ContainerKind::empty);
  EXPECT_EQ(sniff(std::string("PK\x03\x04rest", 8)), ContainerKind::zip);
  EXPECT_EQ(sniff(std::string("PK\x05\x06", 4)), ContainerKind::zip);
  EXPECT_EQ(sniff(std::string("\x1f\x8b\x08", 3)), ContainerKind::gzip);
  EXPECT_EQ(sniff(std::string("\x28\xb5\x2f\xfd", 4)), ContainerKind::zstd);
  EXPECT_EQ(sniff(std::string("\x5e\x2a\x4d\x18", 4)), ContainerKind::zstd);
  EXPECT_EQ(sniff("transaction_id,transaction_date\r\n\t1,2\n"), ContainerKind::text);
  EXPECT_EQ(sniff("\xef\xbb\xbfid,day\n"), ContainerKind::text);  // UTF-8 BOM
  EXPECT_EQ(sniff(std::string("PK\x01", 3)), ContainerKind::binary);
  EXPECT_EQ(sniff(std::string("ab\0cd", 5)), ContainerKind::binary);
  // Only the first kSniffBytes count.
  EXPECT_EQ(sniff(std::string(kSniffBytes, 'a') + std::string(1, '\0')), ContainerKind::text);
}

TEST(ContainerSniff, DescribesWhatItFoundInWords) {
  EXPECT_EQ(found(std::string("PK\x03\x04", 4)), "a zip archive");
  EXPECT_EQ(found(std::string("\x1f\x8b", 2)), "a gzip file");
  EXPECT_EQ(found(std::string("\x28\xb5\x2f\xfd", 4)), "a zstd file");
  EXPECT_EQ(found(""), "an empty file");
  EXPECT_EQ(found("id,day\n"), "text \"id,day\\x0a\"");
  EXPECT_EQ(found(std::string("\x00\x01\x02\x03\x04", 5)), "binary data (bytes 00 01 02 03)");
  EXPECT_EQ(container_name(ContainerKind::text), "text");
}

TEST(ContainerSniff, FoundInAFileAndAfterItsData) {
  TempDir dir("sniff");
  const std::string p = dir / "f";
  write_file(p, "data" + std::string(20, '\0'));
  const FileReader file(p);
  EXPECT_EQ(found_in_file(file), "binary data (bytes 64 61 74 61)");
  EXPECT_EQ(found_after(file, 4), "20 zero bytes of padding");
  EXPECT_EQ(found_after(file, 2), "22 more bytes: binary data (bytes 74 61 00 00)");
}

TEST(FileStream, DeliversTheBytesFromAnOffsetInBoundedPieces) {
  TempDir dir("stream");
  const std::string text = csv_text(3 * kFileStreamPiece + 123, 1);
  const std::string p = dir / "d.csv";
  write_file(p, text);
  const FileReader file(p);
  PieceSink all;
  EXPECT_EQ(stream_file(file, 0, all), text.size());
  EXPECT_EQ(all.out, text);
  EXPECT_EQ(all.largest, kFileStreamPiece);
  PieceSink tail;
  EXPECT_EQ(stream_file(file, 1000, tail), text.size() - 1000);
  EXPECT_EQ(tail.out, text.substr(1000));
  PieceSink middle;
  EXPECT_EQ(stream_file(file, 10, middle, 20), 10u);
  EXPECT_EQ(middle.out, text.substr(10, 10));
  PieceSink none;
  EXPECT_EQ(stream_file(file, text.size(), none), 0u);
  EXPECT_TRUE(none.out.empty());
  try {
    stream_file(file, 5, none, text.size() + 1);
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), p + ": expected bytes 5 to " +
                                         std::to_string(text.size() + 1) + " of the file, found " +
                                         std::to_string(text.size()) + " bytes");
  }
}
