global using System.Globalization;
global using DeepRacer.Analysis.Tables;
global using DeepRacer.Analysis.Common;
