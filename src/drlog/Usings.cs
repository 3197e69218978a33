global using System.CommandLine;
global using System.Globalization;
global using DeepRacer.Analysis;
global using DeepRacer.Analysis.Common;
global using DrLog.Output;
