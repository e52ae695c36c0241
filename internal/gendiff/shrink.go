package gendiff

import "strings"

// Candidates are the lines one step smaller than l: one flag, argument or variable removed, or
// stdin emptied or one stdin line removed. The verb is kept.
func Candidates(l Line) []Line {
	var out []Line
	for i, p := range l.Parts {
		if p.Kind == KindVerb {
			continue
		}
		c := l
		c.Parts = append(append([]Part{}, l.Parts[:i]...), l.Parts[i+1:]...)
		if p.Name == "endpoints" {
			c.NoEnvEP = false
		}
		out = append(out, c)
	}
	for i := range l.Env {
		c := l
		c.Env = append(append([]string{}, l.Env[:i]...), l.Env[i+1:]...)
		out = append(out, c)
	}
	if l.Stdin != "" {
		c := l
		c.Stdin = ""
		out = append(out, c)
		lines := strings.SplitAfter(l.Stdin, "\n")
		if len(lines) > 1 {
			for i := range lines {
				if lines[i] == "" || lines[i] == "\n" {
					continue
				}
				c := l
				c.Stdin = strings.Join(append(append([]string{}, lines[:i]...), lines[i+1:]...), "")
				out = append(out, c)
			}
		}
	}
	return out
}

// Shrink removes parts of l one at a time while stillDiffers holds, at most budget tries.
func Shrink(l Line, budget int, stillDiffers func(Line) bool) (Line, int) {
	tries := 0
	for {
		progressed := false
		for _, c := range Candidates(l) {
			if tries >= budget {
				return l, tries
			}
			tries++
			if stillDiffers(c) {
				l, progressed = c, true
				break
			}
		}
		if !progressed {
			return l, tries
		}
	}
}
