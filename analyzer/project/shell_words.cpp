#include "project/shell_words.h"

namespace kmodlint {

namespace {

class Splitter {
 public:
  explicit Splitter(const std::string& text, bool operators) : text_(text), operators_(operators) {}

  std::vector<ShellPipeline> run() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\\' && pos_ + 1 < text_.size()) {
        word_ += text_[pos_ + 1];
        in_word_ = true;
        pos_ += 2;
      } else if (c == '\'') {
        std::size_t end = text_.find('\'', pos_ + 1);
        if (end == std::string::npos) end = text_.size();
        word_ += text_.substr(pos_ + 1, end - pos_ - 1);
        in_word_ = true;
        pos_ = end + 1;
      } else if (c == '"') {
        read_double_quoted();
      } else if (c == ' ' || c == '\t') {
        end_word();
        ++pos_;
      } else if (operators_ && (c == ';' || c == '\n' || c == '&' || c == '|')) {
        end_word();
        bool doubled = pos_ + 1 < text_.size() && text_[pos_ + 1] == c;
        if (c == '|' && !doubled) {
          end_command();
        } else {
          end_pipeline();
        }
        pos_ += doubled ? 2 : 1;
      } else if (operators_ && c == '>') {
        end_word();
        redirect_next_ = true;
        pos_ += (pos_ + 1 < text_.size() && text_[pos_ + 1] == '>') ? 2 : 1;
      } else {
        word_ += c;
        in_word_ = true;
        ++pos_;
      }
    }
    end_pipeline();
    return pipelines_;
  }

 private:
  void read_double_quoted() {
    ++pos_;
    while (pos_ < text_.size() && text_[pos_] != '"') {
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size() &&
          std::string("\"\\$`").find(text_[pos_ + 1]) != std::string::npos) {
        word_ += text_[pos_ + 1];
        pos_ += 2;
      } else {
        word_ += text_[pos_++];
      }
    }
    ++pos_;
    in_word_ = true;
  }
  void end_word() {
    if (!in_word_) return;
    if (redirect_next_) {
      command_.redirect_to = word_;
      redirect_next_ = false;
    } else {
      command_.words.push_back(word_);
    }
    word_.clear();
    in_word_ = false;
  }
  void end_command() {
    end_word();
    if (!command_.words.empty() || !command_.redirect_to.empty()) pipeline_.push_back(std::move(command_));
    command_ = {};
  }
  void end_pipeline() {
    end_command();
    if (!pipeline_.empty()) pipelines_.push_back(std::move(pipeline_));
    pipeline_ = {};
  }

  const std::string& text_;
  bool operators_;
  std::size_t pos_ = 0;
  std::string word_;
  bool in_word_ = false;
  bool redirect_next_ = false;
  ShellCommand command_;
  ShellPipeline pipeline_;
  std::vector<ShellPipeline> pipelines_;
};

}  // namespace

std::vector<ShellPipeline> split_shell_line(const std::string& line) { return Splitter(line, true).run(); }

std::vector<std::string> split_shell_words(const std::string& text) {
  std::vector<ShellPipeline> pipelines = Splitter(text, false).run();
  if (pipelines.empty() || pipelines[0].empty()) return {};
  return pipelines[0][0].words;
}

}  // namespace kmodlint
