global using System.Globalization;
global using DeepRacer.Analysis.Common;
