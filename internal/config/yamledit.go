package config

import (
	"errors"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The config file is edited as a YAML node tree rather than a map, so that
// `config set` keeps the user's comments and key order. Keys match without
// regard to case, as viper reads them.

// parseDoc parses a config file; an empty file is an empty mapping.
func parseDoc(data []byte) (*yaml.Node, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, errors.New("the top level must be a mapping of keys to values")
	}
	return &doc, nil
}

// find returns the index of key's value in mapping m, or -1.
func find(m *yaml.Node, key string) int {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if strings.EqualFold(m.Content[i].Value, key) {
			return i + 1
		}
	}
	return -1
}

// setNode sets path to value, creating mappings on the way (and replacing
// anything that is not a mapping where one is needed).
func setNode(m *yaml.Node, path []string, value *yaml.Node) {
	for _, p := range path[:len(path)-1] {
		i := find(m, p)
		if i < 0 {
			m.Content = append(m.Content, scalar(p), &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			i = len(m.Content) - 1
		} else if m.Content[i].Kind != yaml.MappingNode {
			m.Content[i] = &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", HeadComment: m.Content[i].HeadComment}
		}
		m = m.Content[i]
	}
	last := path[len(path)-1]
	if i := find(m, last); i >= 0 {
		value.LineComment = m.Content[i].LineComment
		m.Content[i] = value
		return
	}
	m.Content = append(m.Content, scalar(last), value)
}

// deleteNode removes path, then any mapping it leaves empty, and tells
// whether path was there.
func deleteNode(m *yaml.Node, path []string) bool {
	i := find(m, path[0])
	if i < 0 {
		return false
	}
	if len(path) > 1 {
		child := m.Content[i]
		if child.Kind != yaml.MappingNode {
			return false
		}
		if !deleteNode(child, path[1:]) {
			return false
		}
		if len(child.Content) > 0 {
			return true
		}
	}
	m.Content = append(m.Content[:i-1], m.Content[i+1:]...)
	return true
}

// ensureMapping makes path an (empty if new) mapping, creating what is
// missing on the way.
func ensureMapping(m *yaml.Node, path []string) {
	for _, p := range path {
		i := find(m, p)
		if i < 0 {
			m.Content = append(m.Content, scalar(p), &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"})
			i = len(m.Content) - 1
		} else if m.Content[i].Kind != yaml.MappingNode {
			return
		}
		m = m.Content[i]
	}
}

func scalar(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// valueNode is how a setting's value is written: booleans as YAML
// booleans, everything else as a string.
func valueNode(key, value string) *yaml.Node {
	if strings.HasSuffix(key, ".insecure") {
		if b, err := ParseBool(value); err == nil {
			v := "false"
			if b {
				v = "true"
			}
			return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: v}
		}
	}
	return scalar(value)
}
