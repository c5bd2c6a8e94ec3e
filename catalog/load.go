package catalog

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"go.yaml.in/yaml/v3"

	"tfpricing/pricing/canon"
)

// Problem is one defect of a catalogue document. Path locates it in the
// document ("industries[2].metrics[0].baseline_level"), or is "line N" when
// the YAML itself could not be decoded there, or "" for the whole document.
type Problem struct {
	Path    string
	Message string
}

// ValidationError lists every problem found in one catalogue document, so an
// operator fixes a file in one pass instead of one error per attempt.
type ValidationError struct {
	Name     string // the document's name, usually its file name
	Problems []Problem
}

// Error formats one line per problem: "name: path: message".
func (e *ValidationError) Error() string {
	return strings.Join(e.Lines(), "\n")
}

// Lines returns one "name: path: message" line per problem.
func (e *ValidationError) Lines() []string {
	lines := make([]string, 0, len(e.Problems))
	for _, p := range e.Problems {
		if p.Path == "" {
			lines = append(lines, e.Name+": "+p.Message)
			continue
		}
		lines = append(lines, e.Name+": "+p.Path+": "+p.Message)
	}
	return lines
}

// Parse decodes, validates and digests one catalogue document. name is used
// only in error messages. Every problem is reported at once in a
// *ValidationError. The canonical JSON form of a parsed document parses back
// to the same digest, which is how stored versions are replayed.
func Parse(name string, data []byte) (*Catalogue, error) {
	var doc document
	if probs := decode(data, &doc); len(probs) > 0 {
		return nil, &ValidationError{Name: name, Problems: probs}
	}
	c, probs := doc.build()
	if len(probs) > 0 {
		return nil, &ValidationError{Name: name, Problems: probs}
	}
	text, err := canonicalJSON(c)
	if err != nil {
		return nil, err
	}
	c.Canonical, c.Digest = text, canon.Digest(text)
	return c, nil
}

// ValidateFile checks the catalogue document at path and returns one line
// per problem, or nil when the document is valid. It is what the
// `catalogue validate FILE` subcommand prints.
func ValidateFile(path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		return []string{err.Error()}
	}
	_, err = Parse(path, data)
	var verr *ValidationError
	switch {
	case err == nil:
		return nil
	case errors.As(err, &verr):
		return verr.Lines()
	default:
		return []string{path + ": " + err.Error()}
	}
}

// decode fills doc from the single YAML document in data. Type and syntax
// errors stop validation: a field that failed to decode would otherwise also
// be reported as missing, burying the real problem.
func decode(data []byte, doc *document) []Problem {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	err := dec.Decode(doc)
	if errors.Is(err, io.EOF) {
		return []Problem{{Message: "the document is empty"}}
	}
	if err != nil {
		return yamlProblems(err)
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case errors.Is(err, io.EOF):
		return nil
	case err != nil:
		return yamlProblems(err)
	default:
		return []Problem{{Path: fmt.Sprintf("line %d", extra.Line), Message: "a second YAML document follows; a file holds exactly one catalogue"}}
	}
}

// yamlProblems turns the YAML library's messages, which name Go types, into
// ones an operator editing the file can act on.
func yamlProblems(err error) []Problem {
	var terr *yaml.TypeError
	if !errors.As(err, &terr) {
		return []Problem{{Message: strings.TrimPrefix(err.Error(), "yaml: ")}}
	}
	probs := make([]Problem, 0, len(terr.Errors))
	for _, msg := range terr.Errors {
		path, rest := "", msg
		if strings.HasPrefix(msg, "line ") {
			if i := strings.Index(msg, ": "); i > 0 {
				path, rest = msg[:i], msg[i+2:]
			}
		}
		probs = append(probs, Problem{Path: path, Message: friendlyYAML(rest)})
	}
	return probs
}

func friendlyYAML(msg string) string {
	if key, ok := strings.CutPrefix(msg, "field "); ok {
		if i := strings.Index(key, " not found in type "); i >= 0 {
			return fmt.Sprintf("unknown key %q", key[:i])
		}
	}
	if what, ok := strings.CutPrefix(msg, "cannot unmarshal "); ok {
		i := strings.LastIndex(what, " into ")
		if i < 0 {
			return msg
		}
		return fmt.Sprintf("%s is not allowed here: %s expected", what[:i], expected(what[i+6:]))
	}
	return msg
}

// expected names the YAML shape a Go target type needs.
func expected(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "catalog."):
		return "a mapping"
	case goType == "int", goType == "*int":
		return "an integer"
	case goType == "bool":
		return "true or false"
	default:
		return "a single value"
	}
}
